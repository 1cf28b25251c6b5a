/**
 * Reading the files a support engineer names on the command line. A file that
 * cannot be read is bad input (exit 2), said in one line that names the file
 * and the reason in words, never as a stack trace.
 */
import { openSync, readFileSync } from 'node:fs';
import { UsageError } from './io';

/** Why a file could not be opened, in words. */
export function whyUnreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? String(e);
}

/** The whole file; `what` names it in the error (`--ca file "root.pem"`, `chain.pem`). */
export function readInputFile(command: string, path: string, what = path): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`${command}: cannot read ${what}: ${whyUnreadable(e)}`);
  }
}

export function readInputText(command: string, path: string, what = path): string {
  return new TextDecoder().decode(readInputFile(command, path, what));
}

/** A descriptor for reading a large file in chunks. */
export function openInputFile(command: string, path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`${command}: cannot read ${path}: ${whyUnreadable(e)}`);
  }
}
