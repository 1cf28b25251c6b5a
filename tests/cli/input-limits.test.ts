/**
 * What `trunklab` commands read is bounded and judged before the work starts:
 * files over their size limit are refused unread with a message naming the
 * limit; a certificate list longer than any path is refused unparsed; option
 * values are checked against their range, negative numbers included.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trunklab } from './trunklab';
import { buildInteropPki, type InteropPki } from '../tls/openssl-pki';

let pki: InteropPki;
let dir: string;
beforeAll(() => {
  pki = buildInteropPki();
  dir = mkdtempSync(join(tmpdir(), 'trunklab-limits-'));
});
afterAll(() => {
  pki?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('input files are bounded', () => {
  it('cert-check refuses a 50 MB file without reading it, naming the limit', async () => {
    const huge = join(dir, 'huge.pem');
    writeFileSync(huge, '-----BEGIN CERTIFICATE-----\n');
    truncateSync(huge, 50 * 2 ** 20);
    const r = await trunklab(['cert-check', huge, '--ca', pki.ca]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`trunklab cert-check: ${huge} is too large: 50 MB; at most 2 MB is read\n`);
  });

  it('tls-serve and tls-connect refuse an oversized --ca the same way', async () => {
    const huge = join(dir, 'huge-ca.pem');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 2 ** 20);
    for (const command of [
      ['tls-serve', '0', '--cert', pki.server.ec.cert, '--key', pki.server.ec.key, '--ca', huge],
      ['tls-connect', '127.0.0.1:9', '--ca', huge],
    ]) {
      const r = await trunklab(command);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--ca file ".*huge-ca\.pem" is too large: 3 MB; at most 2 MB is read\n$/);
    }
  });

  it('sip-parse refuses more than 1 MB on standard input', async () => {
    const r = await trunklab(['sip-parse', '-'], { input: 'x'.repeat(2 ** 20 + 1) });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('trunklab sip-parse: standard input is too large: over 1 MB; at most 1 MB is read\n');
  });

  it('cert-check of 1000 certificates answers with a verdict, having parsed none of them', async () => {
    const ca = readFileSync(pki.ca, 'utf8');
    const many = join(dir, 'many.pem');
    writeFileSync(many, readFileSync(pki.server.ec.cert, 'utf8') + ca.repeat(999));
    const r = await trunklab(['cert-check', many, '--ca', pki.ca, '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ valid: false, reason: 'unknown_issuer', chain: [] });
    expect(json.detail).toContain('presented 1000 certificates');
  });
});

describe('option values are checked against their range', () => {
  it('run takes a negative seed, as the lab does', async () => {
    const r = await trunklab(['run', 'options-keepalive', '--seed', '-1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ seed: -1 });
  });

  it('run says the range of --audio-ms for a negative one, not that the line is ambiguous', async () => {
    const r = await trunklab(['run', 'secure-call', '--audio-ms', '-5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('trunklab run: --audio-ms must be between 20 and 60000, got -5\n');
  });

  it('tls-connect says the range of --timeout for a negative one', async () => {
    const r = await trunklab(['tls-connect', '127.0.0.1:9', '--timeout', '-1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--timeout must be a number of seconds above 0 and at most 3600 \(an hour\), got "-1"\n$/);
  });
});
