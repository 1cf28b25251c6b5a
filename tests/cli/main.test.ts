import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trunklabProcess } from './trunklab';

const BIN = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));

describe('trunklab', () => {
  it('lists its commands with --help', () => {
    const r = trunklabProcess(['--help']);
    expect(r.status).toBe(0);
    for (const command of ['scenarios', 'run']) expect(r.stdout).toContain(`trunklab ${command}`);
  });

  it('exits 2 with one line for an unknown command', () => {
    const r = trunklabProcess(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it('lists scenarios as JSON', () => {
    const r = trunklabProcess(['scenarios', '--json']);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string; expected: { ok: boolean } }>;
    expect(list.map((s) => s.id)).toContain('options-keepalive');
  });

  it('runs a scenario and prints the Timeline as JSON', () => {
    const r = trunklabProcess(['run', 'options-keepalive', '--seed', '3', '--json']);
    expect(r.status).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t).toMatchObject({ scenario: 'options-keepalive', seed: 3, outcome: { ok: true, reason: 'ok' } });
    expect(t.steps).toHaveLength(2);
  });

  it('exits 2 naming the valid ids for an unknown scenario, and for a bad seed', () => {
    const unknown = trunklabProcess(['run', 'no-such-scenario']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('options-keepalive');
    const badSeed = trunklabProcess(['run', 'options-keepalive', '--seed', 'abc']);
    expect(badSeed.status).toBe(2);
    expect(badSeed.stderr).toContain('--seed must be a whole number');
    const badOption = trunklabProcess(['run', 'options-keepalive', '--frob']);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toMatch(/unknown option '--frob'/i);
  });

  it('stops quietly when its reader closes the pipe early (`trunklab scenarios | head -1`)', async () => {
    // A shell pipeline whose reader takes one line and leaves, as `head -1` does.
    const proc = spawn('bash', ['-c', `"${process.execPath}" "${BIN}" scenarios | head -c 1 >/dev/null`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const status = await new Promise((resolve) => proc.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
