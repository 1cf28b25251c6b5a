/**
 * The run's captures read by Wireshark's tshark, which we did not write:
 * the secure call's pcapng decrypts with no other file (its TLS secrets are
 * in a Decryption Secrets Block) and shows the whole SIP exchange, the
 * INVITE's a=crypto lines included; the decrypted media pcap holds both RTP
 * streams, complete, with the audio the endpoints played.
 */
import { describe, expect, it } from 'vitest';
import { exportRun } from '../../sim/index';
import { scratchDir, tshark, tsharkFields, writeScratch } from '../net/tshark';
import { audioOf, run } from './runs';

describe('tshark reads the runs', () => {
  it.each([
    ['secure-call', 'TLS 1.3'],
    ['secure-call-tls12', 'TLS 1.2'],
  ])('%s (%s): the pcapng decrypts on its own and holds the whole SIP exchange', async (id) => {
    const t = await run(id);
    const file = writeScratch(scratchDir(), `${id}.pcapng`, exportRun(t, 'pcapng').bytes);
    // No key log file is given: the secrets come from the capture itself.
    const rows = tsharkFields(
      file,
      ['sip.Method', 'sip.Status-Code', 'sip.CSeq.method', 'sdp.media_attr'],
      ['-o', 'tls.keylog_file:', '-Y', 'sip'],
    );
    expect(rows.map((r) => r[0] || `${r[1]} ${r[2]}`)).toEqual([
      'REGISTER',
      '401 REGISTER',
      'REGISTER',
      '200 REGISTER',
      'INVITE',
      '100 INVITE',
      '180 INVITE',
      '200 INVITE',
      'ACK',
      'BYE',
      '200 BYE',
    ]);
    const invite = rows.find((r) => r[0] === 'INVITE')!;
    expect(invite[3]).toMatch(/crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/=]{40}/);
    const answer = rows.find((r) => r[1] === '200' && r[2] === 'INVITE')!;
    expect(answer[3]).toMatch(/crypto:1 AES_CM_128_HMAC_SHA1_80 inline:/);
  });

  it('without its secrets, the same capture shows TLS records and no SIP', async () => {
    const t = await run('secure-call');
    const { timelineCapture } = await import('../../sim/export/timeline-capture');
    const file = writeScratch(scratchDir(), 'bare.pcapng', timelineCapture(t));
    expect(tsharkFields(file, ['sip.Method'], ['-Y', 'sip'])).toEqual([]);
    expect(tsharkFields(file, ['frame.number'], ['-Y', 'tls']).length).toBeGreaterThan(10);
  });

  it('plain SIP needs no secrets: tshark reads the INVITE and its key in clear', async () => {
    const t = await run('sdes-over-plain-sip');
    const file = writeScratch(scratchDir(), 'plain.pcapng', exportRun(t, 'pcapng').bytes);
    const rows = tsharkFields(file, ['sip.Method', 'sdp.media_attr'], ['-Y', 'sip.Method == "INVITE"']);
    expect(rows[0][1]).toMatch(/crypto:1 AES_CM_128_HMAC_SHA1_80 inline:/);
  });

  it('the decrypted media pcap: two complete G.711 streams carrying what each side played', async () => {
    const t = await run('secure-call');
    const file = writeScratch(scratchDir(), 'media.pcap', exportRun(t, 'media-pcap').bytes);
    const streams = tshark(file, ['-o', 'rtp.heuristic_rtp:TRUE', '-q', '-z', 'rtp,streams']);
    const lines = streams.split('\n').filter((l) => /g711U/.test(l));
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/g711U\s+128\s+0 \(0\.0%\)/);
    const payloads = tsharkFields(file, ['ip.src', 'rtp.payload'], ['-o', 'rtp.heuristic_rtp:TRUE', '-Y', 'rtp']);
    const from = (ip: string) =>
      payloads
        .filter((r) => r[0] === ip)
        .map((r) => r[1].replaceAll(':', ''))
        .join('');
    expect(from('203.0.113.10')).toBe(audioOf(t, 'sbc')!.payload);
    expect(from('198.51.100.20')).toBe(audioOf(t, 'pbx')!.payload);
  });
});
