import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trunklab } from './trunklab';

const vector = (name: string) => new URL(`../sip/vectors/rfc4475/${name}.dat`, import.meta.url).pathname;

describe('trunklab sip-parse', () => {
  it('exits 0 for a valid message and lists its parts with byte ranges', async () => {
    const r = await trunklab(['sip-parse', vector('wsinv')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^valid SIP request: INVITE sip:vivekg@chair-dnrc.example.com;unknownparam/);
    expect(r.stdout).toContain('sent-protocol  SIP/2.0/TCP');
  });

  it('exits 1 naming the line and the reason for an invalid message (RFC 4475 §3.1.2.1)', async () => {
    const r = await trunklab(['sip-parse', vector('badinv01')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('invalid: line 7 (Via): expected a parameter name after ";"');
    expect(r.stdout).toContain('400 Bad Request');
  });

  it('exits 1 for message-level faults too (RFC 4475 §3.3.8)', async () => {
    const r = await trunklab(['sip-parse', vector('multi01'), '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, line: 7, where: 'CSeq', status: 400 });
  });

  it('prints one JSON document with the verdict, the headers and the field tree', async () => {
    const r = await trunklab(['sip-parse', vector('esc01'), '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ valid: true, message: { kind: 'request', method: 'INVITE' } });
    expect(doc.message.headers.map((h: { name: string }) => h.name)).toContain('Content-Type');
    expect(doc.fields[0]).toMatchObject({ name: 'SIP message', layer: 'sip', start: 0 });
  });

  it('reads standard input for -, and 505 for another SIP version', async () => {
    const r = await trunklab(['sip-parse', '-', '--json'], { input: readFileSync(vector('badvers')) });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, line: 1, status: 505 });
  });

  it('--stream requires Content-Length (RFC 4475 §3.4.1 over TCP)', async () => {
    expect((await trunklab(['sip-parse', vector('inv2543')])).status).toBe(0);
    const r = await trunklab(['sip-parse', vector('inv2543'), '--stream']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Content-Length is required');
  });

  it('survives binary garbage with a verdict, not a crash', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 37 + 11) & 0xff);
    const r = await trunklab(['sip-parse', '-'], { input: garbage });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^invalid: line 1/);
  });

  it('exits 2 with one line for an unreadable file, an empty input or no argument', async () => {
    for (const args of [['sip-parse', '/no/such/file.sip'], ['sip-parse'], ['sip-parse', '-']]) {
      const r = await trunklab(args, { input: '' });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
