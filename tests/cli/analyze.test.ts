/**
 * `trunklab analyze`: the exit status of the contract (0 the call worked, 1 a
 * failure shown, 2 unreadable input), the JSON document DESIGN.md gives, the
 * lines a support engineer reads, keys given by hand, and bad input said in
 * one line.
 */
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../sim/index';
import { timelineCapture } from '../../sim/export/timeline-capture';
import { fromHex } from '../../sim/wire/bytes';
import { run } from '../scenarios/runs';
import { scratchDir } from '../net/tshark';
import { trunklab, trunklabProcess } from './trunklab';

let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = scratchDir();
  for (const id of ['secure-call', 'mitm-self-signed']) {
    const t = await run(id, { audioMs: 200 });
    files[id] = join(dir, `${id}.pcapng`);
    writeFileSync(files[id], exportRun(t, 'pcapng').bytes);
  }
  const call = await run('secure-call', { audioMs: 200 });
  files.bare = join(dir, 'bare.pcapng');
  writeFileSync(files.bare, timelineCapture(call));
  files.keylog = join(dir, 'call.keylog');
  writeFileSync(files.keylog, call.keyLog!);
  // A key log of 65 MB (a sparse file: nothing is written) is over the limit and refused unread.
  files.huge = join(dir, 'huge.keylog');
  writeFileSync(files.huge, 'CLIENT_RANDOM ');
  truncateSync(files.huge, 65 * 2 ** 20);
  files.garbage = join(dir, 'garbage.keylog');
  writeFileSync(files.garbage, 'not a key log\nCLIENT_RANDOM 12\n');
  // The SDES keys each side sent, read from the SDP the endpoints decrypted.
  const sdp = call.steps
    .filter((s) => s.protocol === 'SIP')
    .flatMap((s) => s.views.pbx.layers.map((l) => new TextDecoder('latin1').decode(fromHex(l.bytes))))
    .join('\n');
  files.keys = [...sdp.matchAll(/a=crypto:\d+ \S+ (inline:[A-Za-z0-9+/=]+)/g)].map((m) => m[1]).join(' ');
});

describe('trunklab analyze', () => {
  it('exits 0 for a call that worked, with the JSON document of the contract', async () => {
    const r = await trunklab(['analyze', files['secure-call'], '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).slice(0, 5)).toEqual(['stages', 'failure', 'tls', 'sip', 'media']);
    expect(report.failure).toBeNull();
    expect(report.stages.every((s: { reached: boolean }) => s.reached)).toBe(true);
    for (const m of report.media) {
      expect(Object.keys(m)).toEqual(
        expect.arrayContaining(['ssrc', 'direction', 'packets', 'decrypted', 'authFailures', 'replays']),
      );
      expect(m.decrypted).toBe(m.packets);
    }
    expect(report.keyLog).toMatchObject({ fromCapture: report.keyLog.secrets });
  });

  it('exits 1 and names the packet, the party and the alert of a failed handshake', async () => {
    const r = await trunklab(['analyze', files['mitm-self-signed']]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^failure: packet 15: the PBX sent alert unknown_ca \(encrypted; read with the key log\) — it does not trust the issuer of the SBC's certificate/m,
    );
    expect(r.stdout).toMatch(/^ {2}stage tls, reason unknown_ca, decided by the PBX$/m);
    expect(r.stdout).toMatch(/^verdict: the trunk fails at tls \(unknown_ca\), packet 15$/m);
    const json = JSON.parse((await trunklab(['analyze', files['mitm-self-signed'], '--json'])).stdout);
    expect(json.failure).toMatchObject({ packet: 15, party: 'pbx', stage: 'tls', reason: 'unknown_ca' });
  });

  it('reads a key log given beside a capture that carries no secrets', async () => {
    const without = await trunklab(['analyze', files.bare]);
    expect(without.status).toBe(2);
    expect(without.stderr).toMatch(
      /^trunklab analyze: The SIP travels inside TLS that was not decrypted .*no key log line for client_random [0-9a-f]{16}…/,
    );
    const withKeyLog = await trunklab(['analyze', files.bare, '--keylog', files.keylog]);
    expect(withKeyLog.status).toBe(0);
  });

  it('decrypts the media with keys given by hand when the SIP cannot be read', async () => {
    // The offer's keys (one per suite it offers) and the answer's: analyze finds which opens each stream.
    const keys = [...new Set(files.keys.split(' '))];
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const r = await trunklab(['analyze', files.bare, ...keys.flatMap((k) => ['--key', k]), '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.media).toHaveLength(2);
    for (const m of report.media) {
      expect(m.decrypted).toBe(m.packets);
      expect(m.key).toMatch(/^--key \d as [A-Z0-9_]+$/);
    }
    // The call itself stays unseen: nothing says it worked, so the answer is "cannot tell" (2).
    expect(r.status).toBe(2);
  });

  it('says in one line what was wrong with the input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['analyze'], /give one capture file/],
      [['analyze', join(dir, 'missing.pcap')], /cannot read .*missing\.pcap: no such file/],
      [['analyze', files.keylog], /is not a readable capture: .*not a capture file/],
      [['analyze', files['secure-call'], '--key', 'inline:***'], /--key 1: .*not valid base64/],
      [
        ['analyze', files['secure-call'], '--keylog', files.garbage],
        /holds no NSS key log line.*key log line 1: has 4 fields, not 3/,
      ],
      [['analyze', files['secure-call'], '--keylog', join(dir, 'nope.keylog')], /cannot read --keylog file/],
      [
        ['analyze', files['secure-call'], '--keylog', files.huge],
        /^trunklab analyze: --keylog file ".*huge\.keylog" is too large: 65 MB; at most 64 MB is read$/m,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await trunklab(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('as a process (bin/trunklab.js, from its own CommonJS build) says exactly what main() says', async () => {
    const cases = [
      ['analyze', files['secure-call'], '--json'],
      ['analyze', files['mitm-self-signed']],
      ['analyze', files.bare, '--keylog', files.keylog],
      ['analyze', files.keylog],
      ['analyze'],
    ];
    for (const args of cases) expect(trunklabProcess(args), args.join(' ')).toEqual(await trunklab(args));
  });

  it('is listed by --help', async () => {
    const r = await trunklab(['--help']);
    expect(r.stdout).toMatch(/trunklab analyze CAPTURE \[--keylog FILE\] \[--key inline:B64 \.\.\.\] \[--json\]/);
  });
});
