/**
 * How a `trunklab` command talks to the world: its output streams, the
 * carrier profile it runs with, and the exit codes of the contract in
 * DESIGN.md (0 success, 1 a verdict of failure, 2 bad usage or unreadable input).
 */
import type { CarrierProfile } from '../carrier';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliContext {
  carrier: CarrierProfile;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Reads standard input to the end (for `FILE|-` arguments), or stops once it
   * holds more than `limit` bytes: the caller then refuses it as too large.
   */
  readStdin: (limit: number) => Promise<Uint8Array>;
}

/** Bad usage or unreadable input: printed as one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Command {
  name: string;
  /** The synopsis line shown by `trunklab --help`. */
  synopsis: string;
  /** One sentence. */
  description: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
