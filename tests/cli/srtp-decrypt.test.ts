/**
 * `trunklab srtp-decrypt`, run as a child process on captures whose SRTP was
 * made by the independent node:crypto implementation; its output is read by
 * tshark (`-d udp.port==N,rtp`) and compared with the RTP that was sent.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trunklab } from './trunklab';
import { writeSecureCallCapture } from '../rtp/srtp-capture';
import { CaptureReader, udpDatagramOf } from '../../sim/net/pcap-reader';
import { toHex } from '../../sim/wire';

const dir = mkdtempSync(join(tmpdir(), 'srtp-decrypt-'));

function tshark(args: string[]): string[] {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim()
    .split('\n');
}

function payloadsOf(file: string): Uint8Array[] {
  const reader = new CaptureReader();
  const out: Uint8Array[] = [];
  reader.push(new Uint8Array(readFileSync(file)), (r) => {
    const d = udpDatagramOf(r.linkType, r.data);
    if (typeof d !== 'string' && d.dstPort === 20000) out.push(d.payload.slice());
  });
  reader.end();
  return out;
}

describe('trunklab srtp-decrypt', () => {
  it('decrypts a call across a sequence wrap; tshark reads the output as RTP, byte-identical to what was sent', async () => {
    const cap = writeSecureCallCapture(join(dir, 'call.pcap'), { packets: 120, firstSequence: 65480, rtcpEvery: 50 });
    const r = await trunklab([
      'srtp-decrypt',
      join(dir, 'call.pcap'),
      '--key',
      cap.callerKey,
      '--out',
      join(dir, 'plain.pcap'),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      packets: 120,
      decrypted: 120,
      authFailures: 0,
      replays: 0,
      suite: 'AES_CM_128_HMAC_SHA1_80',
      roc: 0,
    });
    expect(s.stream).toMatchObject({
      src: '203.0.113.10:40000',
      dst: '198.51.100.20:20000',
      ssrc: '0x5ec0ca11',
      authenticated: true,
    });
    expect(s.srtcp).toMatchObject({ packets: 2, decrypted: 2, authFailures: 0 });
    const rows = tshark([
      '-r',
      join(dir, 'plain.pcap'),
      '-d',
      'udp.port==20000,rtp',
      '-Y',
      'rtp',
      '-T',
      'fields',
      '-e',
      'rtp.seq',
      '-e',
      'rtp.p_type',
      '-e',
      'rtp.ssrc',
    ]);
    expect(rows).toHaveLength(120);
    expect(rows[0]).toBe('65480\t0\t0x5ec0ca11');
    expect(rows[56]).toBe('0\t0\t0x5ec0ca11');
    expect(payloadsOf(join(dir, 'plain.pcap')).map(toHex)).toEqual(cap.callerRtp.map(toHex));
    const rtcp = tshark([
      '-r',
      join(dir, 'plain.pcap'),
      '-d',
      'udp.port==20001,rtcp',
      '-Y',
      'rtcp.pt == 200',
      '-T',
      'fields',
      '-e',
      'rtcp.senderssrc',
      '-e',
      'rtcp.sdes.text',
    ]);
    expect(rtcp).toEqual(['0x5ec0ca11\tpbx@pbx.harbourstreet.example', '0x5ec0ca11\tpbx@pbx.harbourstreet.example']);
  });

  for (const suite of [
    'AES_CM_128_HMAC_SHA1_32',
    'AES_256_CM_HMAC_SHA1_80',
    'AEAD_AES_128_GCM',
    'AEAD_AES_256_GCM',
  ] as const) {
    it(`finds the suite from the key and a trial decryption: ${suite}, Ethernet, pcapng`, async () => {
      const cap = writeSecureCallCapture(join(dir, `${suite}.pcap`), { suite, packets: 30, ethernet: true });
      execFileSync('editcap', ['-F', 'pcapng', join(dir, `${suite}.pcap`), join(dir, `${suite}.pcapng`)]);
      const r = await trunklab([
        'srtp-decrypt',
        join(dir, `${suite}.pcapng`),
        '--key',
        cap.callerKey,
        '--out',
        join(dir, `${suite}-out.pcap`),
        '--json',
      ]);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ packets: 30, decrypted: 30, suite });
      expect(payloadsOf(join(dir, `${suite}-out.pcap`)).map(toHex)).toEqual(cap.callerRtp.map(toHex));
    });
  }

  it('picks the other direction with the other key, and honours --ssrc and a whole a=crypto line', async () => {
    const cap = writeSecureCallCapture(join(dir, 'both.pcap'), { packets: 20 });
    const r = await trunklab([
      'srtp-decrypt',
      join(dir, 'both.pcap'),
      '--key',
      cap.calleeKey,
      '--out',
      join(dir, 'b.pcap'),
      '--json',
    ]);
    expect(JSON.parse(r.stdout).stream).toMatchObject({ src: '198.51.100.20:20000', ssrc: '0x0b0b0b0b' });
    const line = `a=crypto:1 AES_CM_128_HMAC_SHA1_80 ${cap.callerKey}`;
    const viaLine = await trunklab([
      'srtp-decrypt',
      join(dir, 'both.pcap'),
      '--key',
      line,
      '--ssrc',
      '0x5ec0ca11',
      '--out',
      join(dir, 'c.pcap'),
    ]);
    expect(viaLine.status).toBe(0);
    expect(viaLine.stdout).toContain('SSRC 0x5ec0ca11');
    expect(viaLine.stdout).toContain('tshark -r');
  });

  it('finds the rollover counter of a capture that began mid-call', async () => {
    const cap = writeSecureCallCapture(join(dir, 'late.pcap'), { packets: 20, firstRoc: 7, suite: 'AEAD_AES_128_GCM' });
    const r = await trunklab([
      'srtp-decrypt',
      join(dir, 'late.pcap'),
      '--key',
      cap.callerKey,
      '--out',
      join(dir, 'late-out.pcap'),
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ decrypted: 20, roc: 7 });
  });

  it('counts tampered packets and replays, drops them, and gives the verdict exit 1', async () => {
    const cap = writeSecureCallCapture(join(dir, 'bad.pcap'), { packets: 50, tamper: [10, 11], duplicate: [20] });
    const r = await trunklab([
      'srtp-decrypt',
      join(dir, 'bad.pcap'),
      '--key',
      cap.callerKey,
      '--out',
      join(dir, 'bad-out.pcap'),
      '--json',
    ]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ packets: 51, decrypted: 48, authFailures: 2, replays: 1 });
    expect(payloadsOf(join(dir, 'bad-out.pcap'))).toHaveLength(48);
  });

  it('a wrong key is a verdict (exit 1) with advice, not a crash', async () => {
    writeSecureCallCapture(join(dir, 'k.pcap'), { packets: 10 });
    const wrong = `inline:${Buffer.alloc(30, 9).toString('base64')}`;
    const r = await trunklab(['srtp-decrypt', join(dir, 'k.pcap'), '--key', wrong, '--out', join(dir, 'k-out.pcap')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/authentication failures/);
    expect(r.stdout).toMatch(/does not decrypt this capture/);
  });

  it('bad input: one line on stderr and exit 2, never a crash', async () => {
    const cap = writeSecureCallCapture(join(dir, 'ok.pcap'), { packets: 5 });
    const whole = readFileSync(join(dir, 'ok.pcap'));
    writeFileSync(join(dir, 'cut.pcap'), whole.subarray(0, whole.length - 7));
    writeFileSync(join(dir, 'text.pcap'), 'INVITE sip:bob@example.com SIP/2.0\r\n\r\n');
    // The file header and the first record (the SIP OPTIONS) only.
    writeFileSync(join(dir, 'nortp.pcap'), whole.subarray(0, 24 + 16 + whole.readUInt32LE(24 + 8)));
    execFileSync('editcap', ['-s', '60', join(dir, 'ok.pcap'), join(dir, 'snap.pcap')]);
    const out = join(dir, 'x.pcap');
    const cases: Array<[string[], RegExp]> = [
      [[join(dir, 'cut.pcap'), '--key', cap.callerKey, '--out', out], /ends inside a record/],
      [[join(dir, 'text.pcap'), '--key', cap.callerKey, '--out', out], /not a capture file/],
      [[join(dir, 'nortp.pcap'), '--key', cap.callerKey, '--out', out], /no RTP stream/],
      [[join(dir, 'snap.pcap'), '--key', cap.callerKey, '--out', out], /cut short by the capture's snap length/],
      [[join(dir, 'missing.pcap'), '--key', cap.callerKey, '--out', out], /cannot read .*: no such file/],
      [
        [join(dir, 'ok.pcap'), '--key', 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz', '--out', out],
        /must start with "inline:"/,
      ],
      [[join(dir, 'ok.pcap'), '--key', 'inline:AAAA', '--out', out], /decodes to 3 bytes/],
      [[join(dir, 'ok.pcap'), '--key', 'inline:%%%', '--out', out], /not valid base64/],
      [
        [join(dir, 'ok.pcap'), '--key', cap.callerKey, '--suite', 'AES_256_CM_HMAC_SHA1_80', '--out', out],
        /needs 46 bytes/,
      ],
      [[join(dir, 'ok.pcap'), '--key', cap.callerKey, '--suite', 'ROT13', '--out', out], /unknown --suite/],
      [[join(dir, 'ok.pcap'), '--key', cap.callerKey], /--out OUT.pcap is required/],
      [[join(dir, 'ok.pcap'), '--out', out], /--key inline:BASE64 is required/],
      [[join(dir, 'ok.pcap'), '--key', cap.callerKey, '--ssrc', 'banana', '--out', out], /--ssrc must be/],
      [
        [join(dir, 'ok.pcap'), '--key', cap.callerKey, '--ssrc', '0x1', '--out', out],
        /no RTP stream with SSRC 0x00000001/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await trunklab(['srtp-decrypt', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });
});
