/**
 * What `trunklab` gives a command when it runs as a process: this process's
 * output streams and standard input, and the carrier profile from content/
 * (which the engine never imports itself). Shared by the whole command line
 * (trunklab-process.mts) and the commands built on their own
 * (analyze-process.mts).
 */
import carrier from '../content/carrier.json';
import type { CarrierProfile } from '../sim/carrier';
import type { CliContext } from '../sim/cli/io';

async function readStdin(limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total > limit) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export function processContext(): CliContext {
  // A reader that stops early (`trunklab scenarios | head -1`) closes the pipe: the output ends there, quietly,
  // as with any Unix command, rather than as an unhandled 'error' event's stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit();
  });
  return {
    carrier: carrier as CarrierProfile,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin,
  };
}
