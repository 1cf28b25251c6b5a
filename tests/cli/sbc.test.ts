/**
 * `trunklab sbc` against programs we did not write, on 127.0.0.1: baresip as
 * the customer's PBX (its key and CSR made by OpenSSL, its certificate issued
 * by `trunklab ca sign`) registers over mutual TLS with digest, calls with
 * mandatory SRTP (SDES), sends a tone and hears the SBC, hangs up; OpenSSL's
 * s_client checks the TLS side. The recording is read back by tshark (the
 * TLS secrets embedded in the pcapng) and its SRTP decrypted with the key
 * baresip offered; baresip's re-INVITE is answered and its SRTP goes on
 * decrypting. Negative runs name their failure the way the lab does: a
 * certificate from another CA, an expired one (made by OpenSSL's `ca`, sent
 * by the engine's TLS client), a wrong password, an unknown user, a domain
 * that is not the carrier's, plain RTP.
 * One SBC serves every test in turn, as a real one would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trunklab } from './trunklab';
import { makeRehearsalPki, type RehearsalPki } from './rehearsal-pki';
import { runBaresip, startSbc, type SbcLine, type SbcProcess } from './sbc-peers';
import { openssl } from '../tls/openssl-peer';
import { eventText, type SbcEvent } from '../../sim/cli/sbc/sbc-events';

const USER = 'harbourstreet';
const PASSWORD = 'rehearsal-password-7';
const DIAL = 'sip:+15555550100@quillfeather.example';

let dir: string;
let ca: string;
let sbc: SbcProcess;
let pki: RehearsalPki;
/** The PBX's key then its chain, for baresip; and the same from a CA the SBC does not trust. */
let pbxPem: string;
let strangerPem: string;
/** A chain from the test CA whose certificate expired in 2025, and its key. */
let expiredChain: string;
let expiredKey: string;

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-sbc-'));
  // The PBX makes its own key and CSR; the test CA issues its certificate.
  pki = await makeRehearsalPki(dir);
  ca = pki.ca;
  pbxPem = join(dir, 'pbx.pem');
  writeFileSync(pbxPem, readFileSync(pki.pbxKey, 'utf8') + readFileSync(pki.pbxChain, 'utf8'));

  // A certificate from a CA of the PBX's own making, which the SBC has never heard of.
  const otherKey = join(dir, 'other.key');
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, 'other-ca.key'),
    '-out',
    join(dir, 'other-ca.pem'),
    '-subj',
    '/CN=Another CA',
    '-days',
    '30',
  ]);
  run('openssl', [
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    otherKey,
    '-out',
    join(dir, 'other.csr'),
    '-subj',
    '/CN=pbx.example.net',
  ]);
  run('openssl', [
    'x509',
    '-req',
    '-in',
    join(dir, 'other.csr'),
    '-CA',
    join(dir, 'other-ca.pem'),
    '-CAkey',
    join(dir, 'other-ca.key'),
    '-CAcreateserial',
    '-out',
    join(dir, 'other.pem'),
    '-days',
    '30',
  ]);
  // The PBX's certificate from the test's issuing CA, by OpenSSL's `ca` command, valid only in January 2025.
  expiredChain = join(dir, 'expired-chain.pem');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'past-ca.cnf'),
    [
      '[ca]',
      'default_ca = past',
      '[past]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${join(dir, 'serial')}`,
      'default_md = sha256',
      'policy = any',
      'x509_extensions = pbx',
      '[any]',
      'commonName = supplied',
      '[pbx]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = clientAuth',
      'subjectAltName = DNS:pbx.example.net',
      '',
    ].join('\n'),
  );
  const issuingCa = join(ca, 'quillfeather-issuing-ca.pem');
  run('openssl', [
    'ca',
    '-batch',
    '-notext',
    '-config',
    join(dir, 'past-ca.cnf'),
    '-cert',
    issuingCa,
    '-keyfile',
    join(ca, 'quillfeather-issuing-ca.key'),
    '-in',
    join(dir, 'other.csr'),
    '-out',
    join(dir, 'expired.pem'),
    '-startdate',
    '20250101000000Z',
    '-enddate',
    '20250201000000Z',
  ]);
  writeFileSync(expiredChain, readFileSync(join(dir, 'expired.pem'), 'utf8') + readFileSync(issuingCa, 'utf8'));
  expiredKey = otherKey;

  strangerPem = join(dir, 'stranger.pem');
  writeFileSync(strangerPem, readFileSync(otherKey, 'utf8') + readFileSync(join(dir, 'other.pem'), 'utf8'));

  // baresip 1.0 (libre) refuses a 401 with any challenge it cannot answer, so the SBC offers MD5 alone.
  sbc = await startSbc([
    '--ca-dir',
    ca,
    '--user',
    USER,
    '--password',
    PASSWORD,
    '--digest',
    'MD5',
    '--record',
    join(dir, 'rec'),
  ]);
});

afterAll(async () => {
  if (sbc) {
    const status = await sbc.stop();
    expect(status).toBe(0);
    expect(sbc.events.at(-1)).toMatchObject({ event: 'stopped' });
  }
  rmSync(dir, { recursive: true, force: true });
});

const baresip = (name: string, over: Partial<Parameters<typeof runBaresip>[0]> = {}) =>
  runBaresip({
    dir: join(dir, name),
    sbcPort: sbc.port,
    certificate: pbxPem,
    caFile: pki.root,
    user: USER,
    password: PASSWORD,
    mediaenc: 'srtp-mand',
    ...over,
  });

const after = (from: number, event: string) => sbc.events.slice(from).filter((e) => e.event === event);

describe('trunklab sbc with baresip as the PBX', () => {
  it('registers over mutual TLS, calls with SDES-keyed SRTP both ways, hangs up; the recording decrypts', async () => {
    const from = sbc.events.length;
    const phone = await baresip('call', {
      dial: DIAL,
      // Hold the call until the SBC has had two seconds of the PBX's SRTP.
      holdCall: () => sbc.waitFor((e) => e.event === 'media' && (e.received as number) >= 100, 30_000, from),
    });
    expect(phone.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['REGISTER_OK', 'CALL_ESTABLISHED', 'CALL_CLOSED']),
    );
    expect(phone.events.find((e) => e.type === 'CALL_MENC')?.param).toMatch(/AES_CM_128_HMAC_SHA1_80|AES_CM_128/);

    const ended = await sbc.waitFor((e) => e.event === 'call' && e.state === 'ended', 30_000, from);
    const handshake = after(from, 'handshake')[0];
    expect(handshake).toMatchObject({ version: '1.3' });
    expect(handshake.clientCertificate).toMatch(/pbx\.example\.net, verified/);
    expect(after(from, 'certificate')[0]).toMatchObject({ valid: true, reason: 'ok' });
    expect(after(from, 'register').map((e) => e.status)).toEqual(expect.arrayContaining([401, 200]));
    expect(after(from, 'call').map((e) => e.state)).toEqual(['answered', 'up', 'ended']);
    expect(after(from, 'bye')[0]).toMatchObject({ from: 'pbx' });
    expect(after(from, 'failure')).toEqual([]);
    // What the SBC received from baresip: every packet authenticated and decrypted.
    const m = /SRTP: (\d+) sent, (\d+) received, (\d+) decrypted, (\d+) authentication failures, (\d+) replays/.exec(
      ended.detail as string,
    );
    expect(m, ended.detail as string).not.toBeNull();
    const [sent, received, decrypted, authFailures] = m!.slice(1, 5).map(Number);
    expect(received).toBeGreaterThanOrEqual(100);
    expect(decrypted).toBe(received);
    expect(authFailures).toBe(0);
    expect(sent).toBeGreaterThanOrEqual(50);
    // What baresip decrypted from the SBC (its libsrtp) and decoded: the phrase and the echo, not silence.
    const decoded = phone.recordings.find((f) => f.endsWith('-dec.wav'))!;
    const soxStat = soxStats(decoded);
    expect(soxStat.seconds).toBeGreaterThan(1);
    expect(soxStat.rms).toBeGreaterThan(0.01);

    // The call's recording: tshark decrypts the SIP with the secrets inside the pcapng.
    const recorded = await sbc.waitFor(
      (e) => e.event === 'recorded' && String(e.detail).startsWith('the call'),
      30_000,
      from,
    );
    const file = recorded.file as string;
    const sip = run('tshark', [
      '-r',
      file,
      '-d',
      `tls.port==${sbc.port},sip`,
      '-Y',
      'sip',
      '-T',
      'fields',
      '-e',
      'sip.Method',
      '-e',
      'sip.Status-Code',
    ]);
    expect(sip).toMatch(/^REGISTER/m);
    expect(sip).toMatch(/^INVITE/m);
    expect(sip).toMatch(/^\t200/m);
    expect(sip).toMatch(/^ACK/m);
    expect(sip).toMatch(/^BYE/m);
    const attributes = run('tshark', [
      '-r',
      file,
      '-d',
      `tls.port==${sbc.port},sip`,
      '-Y',
      'sip.Method == "INVITE"',
      '-T',
      'fields',
      '-e',
      'sdp.media_attr',
    ]);
    const key = /crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)/.exec(attributes)?.[1];
    expect(key, attributes).toBeDefined();
    // baresip's SRTP in the recording decrypts with the key its offer carried.
    const decryptedRun = await trunklab([
      'srtp-decrypt',
      file,
      '--key',
      `inline:${key}`,
      '--out',
      join(dir, 'pbx-rtp.pcap'),
      '--json',
    ]);
    expect(decryptedRun.status, decryptedRun.stderr).toBe(0);
    const summary = JSON.parse(decryptedRun.stdout) as { decrypted: number; authFailures: number };
    expect(summary.decrypted).toBeGreaterThanOrEqual(100);
    expect(summary.authFailures).toBe(0);
  });

  it('names the failure when the PBX presents a certificate from another CA', async () => {
    const from = sbc.events.length;
    const refused = sbc.waitFor((e) => e.event === 'failure' && e.stage === 'tls', 30_000, from);
    const phone = await baresip('stranger', { certificate: strangerPem, limitMs: 30_000, giveUp: refused });
    expect(phone.events.map((e) => e.type)).not.toContain('REGISTER_OK');
    expect(after(from, 'certificate')[0]).toMatchObject({ valid: false, reason: 'unknown_issuer' });
    expect(await refused).toMatchObject({ reason: 'unknown_ca' });
    expect(after(from, 'handshake')).toEqual([]);
  });

  it('answers a wrong password with 401 then 403, named as the lab names it', async () => {
    const from = sbc.events.length;
    const phone = await baresip('wrong-password', { password: 'not-the-password', limitMs: 20_000 });
    expect(phone.events.find((e) => e.type === 'REGISTER_FAIL')?.param).toMatch(/403/);
    expect(after(from, 'register').map((e) => e.status)).toEqual([401, 403]);
    expect(after(from, 'failure')[0]).toMatchObject({ stage: 'sip', reason: '403', scenario: 'digest-wrong-password' });
    expect(String(after(from, 'failure')[0].detail)).toMatch(/wrong password/);
  });

  it('answers an unknown user as a wrong password, 401 then 403, and names it', async () => {
    const from = sbc.events.length;
    const phone = await baresip('unknown-user', { user: 'nobody', limitMs: 20_000 });
    expect(phone.events.find((e) => e.type === 'REGISTER_FAIL')?.param).toMatch(/403/);
    expect(after(from, 'register').map((e) => [e.user, e.status])).toEqual([
      ['nobody', 401],
      ['nobody', 403],
    ]);
    const failure = after(from, 'failure')[0];
    expect(failure).toMatchObject({ stage: 'sip', reason: '403' });
    expect(String(failure.detail)).toMatch(
      /^unknown user nobody: no such trunk account \(the trunk account is harbourstreet\)/,
    );
  });

  it('answers a registration for another domain with 404 once the password is proven (RFC 3261 §10.3 step 5)', async () => {
    const from = sbc.events.length;
    const phone = await baresip('other-domain', { domain: 'other.example', limitMs: 20_000 });
    expect(phone.events.find((e) => e.type === 'REGISTER_FAIL')?.param).toMatch(/404/);
    expect(after(from, 'register').map((e) => e.status)).toEqual([401, 404]);
    const failure = after(from, 'failure')[0];
    expect(failure).toMatchObject({ stage: 'sip', reason: '404' });
    expect(String(failure.detail)).toMatch(
      /harbourstreet@other\.example is not an address of record in quillfeather\.example/,
    );
  });

  it('answers a re-INVITE with 200 and a new key, and the SRTP goes on decrypting (RFC 3261 §14.2, RFC 4568 §7.1.4)', async () => {
    const from = sbc.events.length;
    const received = (e: SbcLine) => (e.event === 'media' ? (e.received as number) : -1);
    const phone = await baresip('reinvite', {
      dial: DIAL,
      holdCall: async (command) => {
        await sbc.waitFor((e) => received(e) >= 50, 30_000, from);
        command('reinvite');
        const updated = await sbc.waitFor((e) => e.event === 'call' && e.state === 'updated', 30_000, from);
        // Media after the re-INVITE: the PBX's packets go on authenticating under whichever key it offered.
        const at = sbc.events.indexOf(updated);
        const before = Math.max(
          0,
          ...after(from, 'media')
            .filter((e) => sbc.events.indexOf(e) < at)
            .map(received),
        );
        await sbc.waitFor((e) => received(e) >= before + 50, 30_000, at);
      },
    });
    expect(phone.events.map((e) => e.type)).toEqual(expect.arrayContaining(['CALL_ESTABLISHED', 'CALL_CLOSED']));
    const ended = await sbc.waitFor((e) => e.event === 'call' && e.state === 'ended', 30_000, from);
    expect(after(from, 'call').map((e) => e.state)).toEqual(['answered', 'up', 'updated', 'ended']);
    const updated = after(from, 'call').find((e) => e.state === 'updated')!;
    expect(String(updated.detail)).toMatch(/^re-INVITE answered with 200 OK: SRTP \S+, the PBX's key (unchanged|new)/);
    // Two INVITEs in, each answered 200 OK.
    const sip = after(from, 'sip').map((e) => e.summary);
    expect(sip.filter((t) => String(t).startsWith('INVITE '))).toHaveLength(2);
    expect(sip.filter((t) => t === '200 OK (INVITE)')).toHaveLength(2);
    expect(after(from, 'failure')).toEqual([]);
    expect(String(ended.detail)).toMatch(/ 0 authentication failures, 0 replays$/);
  });

  it('refuses a plain RTP offer with 488 when SRTP is required', async () => {
    const from = sbc.events.length;
    const phone = await baresip('no-srtp', { mediaenc: 'none', dial: DIAL, limitMs: 20_000 });
    expect(phone.events.find((e) => e.type === 'CALL_CLOSED')?.param).toMatch(/488/);
    const failure = after(from, 'failure').find((e) => e.reason === '488') as SbcLine;
    expect(failure).toMatchObject({ stage: 'sdp', scenario: 'srtp-required-rtp-offered' });
    expect(after(from, 'call')).toEqual([]);
  });
});

describe('trunklab sbc with the engine’s TLS client', () => {
  it('refuses an expired client certificate with certificate_expired, naming the check that failed', async () => {
    const from = sbc.events.length;
    const client = await trunklab([
      'tls-connect',
      `127.0.0.1:${sbc.port}`,
      '--ca',
      pki.root,
      '--cert',
      expiredChain,
      '--key',
      expiredKey,
      '--timeout',
      '30',
    ]);
    expect(client.status).toBe(1);
    expect(client.stdout).toMatch(/alert certificate_expired \(45\) received/);
    const failure = await sbc.waitFor((e) => e.event === 'failure' && e.stage === 'tls', 30_000, from);
    expect(failure.reason).toBe('certificate_expired');
    expect(String(failure.detail)).toMatch(
      /^the SBC sent alert certificate_expired \(45\): the PBX’s certificate expired on 2025-02-01;/,
    );
    expect(String(failure.detail)).toMatch(/issue a new one from its CSR with `trunklab ca sign`/);
    const check = after(from, 'certificate')[0] as Extract<SbcEvent, { event: 'certificate' }> & SbcLine;
    expect(check).toMatchObject({ valid: false, reason: 'expired' });
    // The event's text line: the verdict, then each step of the check, the failing one marked.
    const text = eventText(check, Date.now());
    expect(text).toMatch(/client certificate refused \(expired\)/);
    expect(text).toMatch(/✓ trust anchor: /);
    expect(text).toMatch(/✗ validity: the PBX’s certificate expired on 2025-02-01/);
    expect(after(from, 'handshake')).toEqual([]);
  });
});

describe('trunklab sbc with openssl s_client', () => {
  const options = [
    'OPTIONS sip:127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKsclient1',
    'Max-Forwards: 70',
    'From: <sip:pbx@pbx.example.net>;tag=s1',
    'To: <sip:127.0.0.1>',
    'Call-ID: s-client-1@pbx.example.net',
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

  /** s_client with the PBX's certificate chain and key sends OPTIONS; resolves with what it printed once 200 OK came. */
  async function optionsOverSClient(extra: string[]): Promise<string> {
    const client = openssl([
      's_client',
      '-connect',
      `127.0.0.1:${sbc.port}`,
      '-quiet',
      '-cert',
      pki.pbxChain,
      '-cert_chain',
      pki.pbxChain,
      '-key',
      pki.pbxKey,
      '-CAfile',
      pki.root,
      ...extra,
    ]);
    try {
      client.proc.stdin.on('error', () => undefined);
      client.proc.stdin.write(options);
      await client.waitFor(/SIP\/2\.0 200 OK[\s\S]*Content-Length: 0/, 30_000);
      return client.output();
    } finally {
      client.kill();
    }
  }

  for (const version of ['-tls1_3', '-tls1_2']) {
    it(`completes mutual TLS (${version}) and answers OPTIONS with 200`, async () => {
      const from = sbc.events.length;
      const answer = await optionsOverSClient([version, '-verify_return_error']);
      expect(answer).toMatch(/SIP\/2\.0 200 OK[\s\S]*Content-Length: 0/);
      await sbc.waitFor((e) => e.event === 'closed', 30_000, from);
      expect(after(from, 'handshake')[0]).toMatchObject({ version: version === '-tls1_3' ? '1.3' : '1.2' });
    });
  }

  it('refuses a client without a certificate, and a client sending garbage, and goes on serving', async () => {
    const from = sbc.events.length;
    const bare = openssl(['s_client', '-connect', `127.0.0.1:${sbc.port}`, '-tls1_3', '-quiet', '-CAfile', pki.root]);
    // s_client may be gone (refused) before its input is written: that is the point, not an error.
    bare.proc.stdin.on('error', () => undefined);
    bare.proc.stdin.write(options);
    await bare.exited;
    const refused = await sbc.waitFor((e) => e.event === 'failure' && e.stage === 'tls', 30_000, from);
    expect(refused.reason).toBe('certificate_required');

    const garbage = sbc.events.length;
    await new Promise<void>((resolve) => {
      const s = connect(sbc.port, '127.0.0.1', () => s.end('GET / HTTP/1.1\r\nHost: x\r\n\r\n' + 'x'.repeat(200)));
      s.on('data', () => undefined);
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    const failure = await sbc.waitFor((e) => e.event === 'failure', 30_000, garbage);
    expect(failure.stage).toBe('tls');
    // Still serving: a good client gets its answer.
    expect(await optionsOverSClient([])).toMatch(/^SIP\/2\.0 200 OK/m);
  });
});

function soxStats(file: string): { seconds: number; rms: number } {
  // `sox FILE -n stat` writes its figures to standard error.
  const text = spawnSync('sox', [file, '-n', 'stat'], { encoding: 'utf8' }).stderr;
  const seconds = Number(/Length \(seconds\):\s+([\d.]+)/.exec(text)?.[1]);
  const rms = Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(text)?.[1]);
  return { seconds, rms };
}
