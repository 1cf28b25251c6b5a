/**
 * `trunklab run` as a support engineer uses it, through the real command in a
 * child process: the steps and the outcome on the terminal, one JSON
 * document with --json, the capture files it writes (read back by their
 * magic numbers, by the key log parser, and by tshark), what-ifs, and the
 * exit status of the contract: 0 ok, 1 a failed outcome, 2 bad usage.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyLog } from '../../sim/tls/key-log';
import { scratchDir, tsharkFields } from '../net/tshark';
import { trunklab } from './trunklab';

describe('trunklab run', () => {
  it('prints each step, what the attacker read, and the outcome; media runs are folded', async () => {
    const r = await trunklab(['run', 'eavesdrop-secure', '--seed', '2']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('eavesdrop-secure (seed 2)');
    expect(r.stdout).toMatch(/^ {2}3 {4}0\.024s {2}PBX → SBC {2}TLS\/TCP {2}ClientHello$/m);
    expect(r.stdout).toMatch(/^ {15}attacker: ClientHello in clear: SNI sbc1\.trunks\.quillfeather\.example/m);
    expect(r.stdout).toMatch(/… \d+ media packets \(SRTP, SRTCP\) between the PBX and the SBC/);
    expect(lines.at(-2)).toMatch(/^outcome: ok — /);
  });

  it('names what each step travels in: SIP inside TLS is SIP/TLS, plain SIP is SIP/UDP', async () => {
    const secure = await trunklab(['run', 'eavesdrop-secure', '--seed', '2']);
    // RFC 3261 §26.2: on a secure trunk every SIP message is inside a TLS record on the TCP connection.
    expect(secure.stdout).toMatch(/PBX → SBC {2}SIP\/TLS {2}REGISTER/);
    expect(secure.stdout).toMatch(/SBC → PBX {2}SIP\/TLS {2}200 OK/);
    expect(secure.stdout).not.toMatch(/SIP\/TCP/);
    const plain = await trunklab(['run', 'plain-sip-eavesdrop', '--seed', '2']);
    expect(plain.stdout).toMatch(/PBX → SBC {2}SIP\/UDP {2}REGISTER/);
    expect(plain.stdout).not.toMatch(/SIP\/TLS/);
  });

  it('exits 1 for a run that ends in its failure, and says where and why', async () => {
    const r = await trunklab(['run', 'mitm-self-signed']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Alert unknown_ca {2}✗ unknown_ca: /);
    expect(r.stdout).toMatch(/^outcome: failed at tls \(unknown_ca\) — The PBX ended the TLS handshake/m);
  });

  it('--json prints one document: scenario, seed, outcome and steps', async () => {
    const r = await trunklab(['run', 'digest-wrong-password', '--seed', '5', '--json']);
    expect(r.status).toBe(1);
    const t = JSON.parse(r.stdout);
    expect(Object.keys(t)).toEqual(expect.arrayContaining(['scenario', 'seed', 'outcome', 'steps']));
    expect(t).toMatchObject({ scenario: 'digest-wrong-password', seed: 5 });
    // A failed run's outcome also names who decided, the step that proves it, and the cause and fix.
    expect(Object.keys(t.outcome).sort()).toEqual(['decidedBy', 'ok', 'reason', 'remedy', 'stage', 'step', 'summary']);
    expect(t.outcome).toMatchObject({ ok: false, decidedBy: 'sbc' });
    expect(t.steps[t.outcome.step].failure).toBeDefined();
    expect(t.outcome).toMatchObject({ ok: false, stage: 'sip', reason: '403' });
    expect(t.steps.map((s: { summary: string }) => s.summary)).toContain('403 Forbidden');
  });

  it('writes the pcapng, the key log, the decrypted media and the diagram', async () => {
    const dir = scratchDir();
    const path = (name: string) => join(dir, name);
    const r = await trunklab([
      'run',
      'secure-call',
      '--pcap',
      path('call.pcapng'),
      '--keylog',
      path('call.keylog'),
      '--media-pcap',
      path('media.pcap'),
      '--mermaid',
      path('call.mmd'),
    ]);
    expect(r.status).toBe(0);
    expect(readFileSync(path('call.pcapng')).readUInt32LE(0)).toBe(0x0a0d0d0a);
    const keyLog = readKeyLog(readFileSync(path('call.keylog'), 'utf8'));
    expect(keyLog.map((l) => l.label)).toContain('CLIENT_TRAFFIC_SECRET_0');
    expect(readFileSync(path('media.pcap')).readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(readFileSync(path('call.mmd'), 'utf8')).toMatch(/^sequenceDiagram\n/);
    // tshark decrypts the capture with the key log the command wrote beside it.
    const sip = tsharkFields(
      path('call.pcapng'),
      ['sip.Method'],
      ['-o', `tls.keylog_file:${path('call.keylog')}`, '-Y', 'sip.Method'],
    );
    expect(sip.map((row) => row[0])).toEqual(['REGISTER', 'REGISTER', 'INVITE', 'ACK', 'BYE']);
  });

  it('takes what-ifs and a talk length', async () => {
    const relayed = await trunklab(['run', 'mitm-self-signed', '--what-if', 'verify=off', '--json']);
    expect(JSON.parse(relayed.stdout).outcome.reason).toBe('certificate_required');
    // Five seconds each way: 250 packets of 20 ms from each side, and their reports.
    const long = await trunklab(['run', 'secure-call', '--audio-ms', '5000']);
    expect(long.stdout).toMatch(/accepted 250 and 250 media packets/);
  });

  it('exits 2 with one line for a bad what-if, a file it cannot write, or an export the run does not have', async () => {
    for (const args of [
      ['run', 'secure-call', '--what-if', 'tls=1.1'],
      ['run', 'secure-call', '--what-if', 'tls'],
      ['run', 'secure-call', '--what-if', 'nope=1'],
      ['run', 'secure-call', '--audio-ms', '5'],
      ['run', 'mitm-self-signed', '--pcap', '/nonexistent-dir/x.pcapng'],
      ['run', 'plain-sip-eavesdrop', '--keylog', join(scratchDir(), 'none.keylog')],
      ['run', 'tls-version-mismatch', '--media-pcap', join(scratchDir(), 'none.pcap')],
    ]) {
      const r = await trunklab(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});

describe('trunklab scenarios', () => {
  it('lists every scenario with its expected outcome, and its what-ifs', async () => {
    const text = await trunklab(['scenarios']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /^mitm-self-signed +A man in the middle with a self-signed certificate \(fails at tls: unknown_ca\)$/m,
    );
    expect(text.stdout).toMatch(/^ +what-if: verify=on\|off, clientCert=required\|optional$/m);
    const json = JSON.parse((await trunklab(['scenarios', '--json'])).stdout);
    expect(json.find((s: { id: string }) => s.id === 'secure-call').whatIf[0]).toEqual({
      id: 'tls',
      label: 'TLS version',
      choices: [
        { value: '1.3', label: 'TLS 1.3' },
        { value: '1.2', label: 'TLS 1.2' },
      ],
      default: '1.3',
    });
  });
});
