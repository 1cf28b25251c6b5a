/**
 * Runs the Wireshark tools on files the tests write: tshark to read captures
 * back, editcap to produce reference files. Output lines are split into
 * tab-separated fields.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory for one test's files. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'trunklab-net-'));
}

export function writeScratch(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function run(tool: string, args: string[]): string {
  // tshark warns about running as root on stderr; only stdout matters.
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** `tshark -r FILE -T fields -e ...`: one array of values per packet. */
export function tsharkFields(file: string, fields: string[], extra: string[] = []): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=/t', ...extra];
  for (const f of fields) args.push('-e', f);
  return run('tshark', args)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

/** Any other tshark invocation on a file (e.g. `-q -z follow,tcp,raw,0`). */
export function tshark(file: string, args: string[]): string {
  return run('tshark', ['-r', file, ...args]);
}

export function editcap(args: string[]): string {
  return run('editcap', args);
}

export function capinfos(args: string[]): string {
  return run('capinfos', args);
}
