/**
 * `trunklab sbc` with IP authentication, ending calls itself and refusing
 * offers it cannot take, against clients we did not write, on 127.0.0.1:
 * - baresip registers (its address is its credential), calls with mandatory
 *   SRTP, and the SBC started with `--hangup-after` sends BYE once that time
 *   has passed since the ACK; baresip sees its call closed by the far end.
 * - An INVITE written by hand, sent over the engine's TLS client
 *   (`trunklab tls-connect --send`), offers only SRTP suites the carrier does
 *   not take: 488 with a Warning naming the suites it does (RFC 3261 §20.43,
 *   RFC 4568 §7.1.1), and the event line names the lab's scenario.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trunklab } from './trunklab';
import { makeRehearsalPki, type RehearsalPki } from './rehearsal-pki';
import { runBaresip, startSbc, type SbcProcess } from './sbc-peers';
import carrier from '../../content/carrier.json';

let dir: string;
let pki: RehearsalPki;
let sbc: SbcProcess;
let pbxPem: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-sbc-calls-'));
  pki = await makeRehearsalPki(dir);
  pbxPem = join(dir, 'pbx.pem');
  writeFileSync(pbxPem, readFileSync(pki.pbxKey, 'utf8') + readFileSync(pki.pbxChain, 'utf8'));
  sbc = await startSbc(['--ca-dir', pki.ca, '--ip-auth', '127.0.0.1/32', '--hangup-after', '1']);
});

afterAll(async () => {
  if (sbc) expect(await sbc.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

const after = (from: number, event: string) => sbc.events.slice(from).filter((e) => e.event === event);

describe('trunklab sbc --ip-auth --hangup-after', () => {
  it('sends BYE the given time after the call is up, and baresip hangs up on it', async () => {
    const from = sbc.events.length;
    const phone = await runBaresip({
      dir: join(dir, 'hangup'),
      sbcPort: sbc.port,
      certificate: pbxPem,
      caFile: pki.root,
      user: 'harbourstreet',
      password: 'unused-with-ip-auth',
      mediaenc: 'srtp-mand',
      dial: `sip:+15555550100@${carrier.domain}`,
      // The call is left to the SBC: baresip waits for the SBC's BYE.
      holdCall: () => sbc.waitFor((e) => e.event === 'bye', 30_000, from),
    });
    expect(phone.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['REGISTER_OK', 'CALL_ESTABLISHED', 'CALL_CLOSED']),
    );
    expect(after(from, 'register')[0]).toMatchObject({ status: 200 });
    expect(after(from, 'bye')).toEqual([expect.objectContaining({ from: 'sbc' })]);
    // baresip answered the SBC's BYE with 200 OK, in the call's dialog.
    await sbc.waitFor((e) => e.event === 'sip' && e.direction === 'in' && e.summary === '200 OK (BYE)', 30_000, from);
    const ended = await sbc.waitFor((e) => e.event === 'call' && e.state === 'ended', 30_000, from);
    expect(String(ended.detail)).toMatch(/^the SBC hung up: its time is up \(--hangup-after\) after \d+\.\d s; SRTP:/);
    const up = after(from, 'call').find((e) => e.state === 'up')!;
    const bye = after(from, 'bye')[0];
    // The BYE came after the call was up, at least the second it was given (the event lines are stamped).
    expect(Date.parse(String(bye.time)) - Date.parse(String(up.time))).toBeGreaterThanOrEqual(1000);
    expect(phone.events.find((e) => e.type === 'CALL_CLOSED')?.param).not.toMatch(/4\d\d|5\d\d/);
  });
});

describe('trunklab sbc and an offer of SRTP suites it does not take', () => {
  it('answers 488 with a Warning naming the suites the carrier accepts', async () => {
    const from = sbc.events.length;
    // Key and salt of each suite's size: AES-192 with a 14-byte salt (RFC 6188), AES-256-GCM with 12 (RFC 7714).
    const keySalt = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
    const sdp = [
      'v=0',
      'o=pbx 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 40000 RTP/SAVP 0',
      'a=rtpmap:0 PCMU/8000',
      `a=crypto:1 AES_192_CM_HMAC_SHA1_80 inline:${keySalt(38)}`,
      `a=crypto:2 AEAD_AES_256_GCM inline:${keySalt(44)}`,
      '',
    ].join('\r\n');
    const invite = [
      `INVITE sip:+15555550100@${carrier.domain} SIP/2.0`,
      'Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKsuites1',
      'Max-Forwards: 70',
      `From: <sip:harbourstreet@${carrier.domain}>;tag=suites`,
      `To: <sip:+15555550100@${carrier.domain}>`,
      'Call-ID: suites-1@pbx.example.net',
      'CSeq: 1 INVITE',
      'Contact: <sip:harbourstreet@127.0.0.1:5999;transport=tls>',
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(sdp)}`,
      '',
      sdp,
    ].join('\r\n');
    const file = join(dir, 'invite.txt');
    writeFileSync(file, invite);
    const r = await trunklab([
      'tls-connect',
      `127.0.0.1:${sbc.port}`,
      '--ca',
      pki.root,
      '--cert',
      pki.pbxChain,
      '--key',
      pki.pbxKey,
      '--send',
      `@${file}`,
      '--timeout',
      '30',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const received = (JSON.parse(r.stdout) as { received: string }).received;
    expect(received).toMatch(/^SIP\/2\.0 100 Trying\r\n/);
    expect(received).toMatch(/\r\nSIP\/2\.0 488 Not Acceptable Here\r\n/);
    const warning = /^Warning: (.*)$/m.exec(received)?.[1] ?? '';
    expect(warning).toMatch(/^305 \S+ "no acceptable a=crypto: tag 1: .*; tag 2: AEAD_AES_256_GCM is not among/);
    expect(warning).toContain(`the carrier accepts ${carrier.srtp.suites.join(', ')}`);
    const failure = await sbc.waitFor((e) => e.event === 'failure' && e.reason === '488', 30_000, from);
    expect(failure).toMatchObject({ stage: 'sdp', scenario: 'srtp-suite-mismatch' });
    expect(after(from, 'call')).toEqual([]);
  });
});
