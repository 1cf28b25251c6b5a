/**
 * Reading the files a support engineer names on the command line. A file that
 * cannot be read is bad input (exit 2), said in one line that names the file
 * and the reason in words, never as a stack trace.
 *
 * Each kind of input has a size limit, checked before a byte is read: a
 * certificate chain or key is a few kilobytes, and a file hundreds of times
 * that is a mistake (or an attack) to refuse with a message naming the limit,
 * not to read into memory and parse.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { concatBytes } from '../wire/bytes';
import { UsageError } from './io';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The most each kind of input may hold, in bytes. */
export const INPUT_LIMIT = {
  /** A certificate chain, a key, or a CA bundle (a whole system bundle is about 200 KB). */
  pem: 2 * MiB,
  /** One SIP message (they travel in a few kilobytes; RFC 3261 §18.1.1 moves them to TCP past 1300 bytes). */
  sip: 1 * MiB,
  /** Application data sent with `tls-connect --send @FILE`. */
  payload: 1 * MiB,
} as const;

/** A size in words: `2 MB`, `350 KB`, `812 bytes`. */
export function describeSize(bytes: number): string {
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MB`;
  if (bytes >= KiB) return `${+(bytes / KiB).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** The error for an input over its limit. */
export function tooLarge(command: string, what: string, size: number | undefined, limit: number): UsageError {
  const actual = size === undefined ? `over ${describeSize(limit)}` : describeSize(size);
  return new UsageError(`${command}: ${what} is too large: ${actual}; at most ${describeSize(limit)} is read`);
}

/** Why a file could not be opened, in words. */
export function whyUnreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? String(e);
}

/**
 * The whole file, up to `limit` bytes; `what` names it in the error
 * (`--ca file "root.pem"`, `chain.pem`). A file over the limit is refused
 * without being read, and one that grows past it while being read (or a pipe) too.
 */
export function readInputFile(command: string, path: string, limit: number, what = path): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (stat.size > limit) throw tooLarge(command, what, stat.size, limit);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(limit + 1, Math.max(stat.size, 64 * KiB)));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return concatBytes(...chunks);
      total += n;
      if (total > limit) throw tooLarge(command, what, undefined, limit);
      chunks.push(chunk.subarray(0, n));
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${command}: cannot read ${what}: ${whyUnreadable(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readInputText(command: string, path: string, limit: number, what = path): string {
  return new TextDecoder().decode(readInputFile(command, path, limit, what));
}

/** A descriptor for reading a large file in chunks. */
export function openInputFile(command: string, path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`${command}: cannot read ${path}: ${whyUnreadable(e)}`);
  }
}
