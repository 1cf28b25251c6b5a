/**
 * The words a run says about its steps, held to what the run did: each
 * claim a step's explanation or an outcome makes is checked against the
 * packets themselves.
 *
 * - TLS 1.2's client Finished comes first and the client sends no SIP until
 *   the server's Finished has arrived (RFC 5246 §7.3); in TLS 1.3 the server's
 *   comes first and the client's ends the handshake (RFC 8446 §2).
 * - Over TLS the PBX never retransmits its INVITE (RFC 3261 §17.1.1.2).
 * - An SRTP packet's sizes are the ones its explanation quotes; a replayed
 *   packet is refused by the replay list, not by its tag (RFC 3711 §3.3.2).
 * - What the attacker read, counted both ways; what the SBC says of a peer
 *   without a certificate names whoever connected.
 */
import { describe, expect, it } from 'vitest';
import type { Step, Timeline } from '../../sim/index';
import { fromHex } from '../../sim/wire';
import { PACKET_TIME_MS, SAMPLES_PER_PACKET } from '../../sim/rtp/g711-packetizer';
import { RTP_FIXED_HEADER_LENGTH } from '../../sim/rtp/rtp-packet';
import { SRTP_SUITES } from '../../sim/rtp/srtp-suite';
import { run } from './runs';

const IPV4_UDP = 28;
const index = (t: Timeline, pick: (s: Step) => boolean) => t.steps.findIndex(pick);

describe('Finished, as each TLS version orders it', () => {
  it('TLS 1.2: the PBX’s Finished waits for the SBC’s, and no SIP leaves the PBX before it', async () => {
    const t = await run('secure-call-tls12');
    const pbxFinished = index(t, (s) => s.summary === 'Finished' && s.from === 'pbx');
    const sbcFinished = index(t, (s) => s.summary === 'Finished' && s.from === 'sbc');
    const firstSip = index(t, (s) => s.protocol === 'SIP' && s.from === 'pbx');
    expect(pbxFinished).toBeGreaterThan(0);
    expect(pbxFinished).toBeLessThan(sbcFinished);
    expect(sbcFinished).toBeLessThan(firstSip);
    expect(t.steps[pbxFinished].explanation).toMatch(/waits for the server’s ChangeCipherSpec and Finished/);
    expect(t.steps[pbxFinished].explanation).not.toMatch(/SIP can flow/);
    expect(t.steps[sbcFinished].explanation).toMatch(/handshake is complete and SIP can flow/);
  });

  it('TLS 1.3: the SBC’s Finished ends its flight, the PBX’s ends the handshake and SIP follows', async () => {
    const t = await run('secure-call');
    const sbcFinished = index(t, (s) => s.summary === 'Finished' && s.from === 'sbc');
    const pbxFinished = index(t, (s) => s.summary === 'Finished' && s.from === 'pbx');
    const firstSip = index(t, (s) => s.protocol === 'SIP' && s.from === 'pbx');
    expect(sbcFinished).toBeLessThan(pbxFinished);
    expect(pbxFinished).toBeLessThan(firstSip);
    expect(t.steps[sbcFinished].explanation).toMatch(/waits for the client’s certificate/);
    expect(t.steps[pbxFinished].explanation).toMatch(/handshake is complete; SIP can flow/);
  });
});

describe('SIP over a reliable transport', () => {
  it('the INVITE goes once, and the 100 Trying says it would not have gone again', async () => {
    const t = await run('secure-call');
    expect(t.steps.filter((s) => s.summary === 'INVITE' && s.from === 'pbx')).toHaveLength(1);
    const trying = t.steps.find((s) => s.summary === '100 Trying')!;
    expect(trying.explanation).toMatch(/does not retransmit the INVITE/);
    expect(trying.explanation).not.toMatch(/stops the PBX from sending it again/);
  });

  it('over plain UDP, where the PBX would retransmit, the 100 Trying is what stops it', async () => {
    const t = await run('plain-sip-eavesdrop');
    expect(t.steps.find((s) => s.summary === '100 Trying')!.explanation).toMatch(/stops the PBX from sending it again/);
  });
});

describe('SRTP, in the numbers its packets carry', () => {
  it('a voice packet is the quoted header, the quoted audio and the suite’s tag', async () => {
    const t = await run('secure-call');
    const srtp = t.steps.find((s) => s.protocol === 'SRTP' && s.from === 'pbx')!;
    const tag = SRTP_SUITES.AES_CM_128_HMAC_SHA1_80.srtpTagLength;
    expect(fromHex(srtp.bytes).length - IPV4_UDP).toBe(RTP_FIXED_HEADER_LENGTH + SAMPLES_PER_PACKET + tag);
    expect(srtp.explanation).toContain(`${PACKET_TIME_MS} ms of voice`);
    expect(srtp.explanation).toContain(`${RTP_FIXED_HEADER_LENGTH}-byte RTP header`);
    expect(srtp.explanation).toContain(`${SAMPLES_PER_PACKET} bytes of G.711 audio`);
  });

  it('a plain RTP packet’s field notes quote its own payload and timestamp step, and its payload type’s law', async () => {
    const t = await run('plain-sip-eavesdrop');
    const [first, second] = t.steps.filter((s) => s.protocol === 'RTP' && s.from === 'pbx');
    const rtp = (s: Step) =>
      s.fields[0].children!.find((f) => f.name === 'UDP')!.children!.find((f) => f.name === 'RTP')!;
    const field = (s: Step, name: string) => rtp(s).children!.find((f) => f.name === name)!;
    const payload = field(first, 'Payload');
    const samples = payload.end - payload.start;
    // RFC 3551 §4.5.14: G.711 codes one sample in one byte; the timestamp advances by the samples sent.
    const step =
      parseInt(field(second, 'Timestamp').value ?? '', 10) - parseInt(field(first, 'Timestamp').value ?? '', 10);
    expect(step).toBe(samples);
    expect(payload.note).toContain(`${samples} samples per ${PACKET_TIME_MS} ms`);
    expect(field(first, 'Timestamp').note).toContain(`${step} per ${PACKET_TIME_MS} ms packet`);
    const law = /G\.711 (µ-law|A-law)/.exec(field(first, 'M, PT').value ?? '')?.[1];
    expect(law).toBeDefined();
    expect(payload.note).toContain(`G.711 ${law}:`);
  });

  it('an eavesdropper’s lens counts payload and tag together, and says so', async () => {
    const t = await run('eavesdrop-secure');
    const srtp = t.steps.find((s) => s.protocol === 'SRTP' && s.from === 'pbx')!;
    const rest = fromHex(srtp.bytes).length - IPV4_UDP - RTP_FIXED_HEADER_LENGTH;
    // It never read the SDP: it counts the bytes after the header as one, and reads a tag from the length alone.
    expect(srtp.views.attacker.summary).toContain(`the ${rest} bytes after it are encrypted`);
    expect(srtp.views.attacker.summary).not.toContain(`${rest}-byte payload`);
  });

  it('replayed packets are refused by the replay list, not by their tag; altered ones by their tag', async () => {
    const replayed = (await run('srtp-replay')).steps.filter((s) => s.summary === 'SRTP (replayed)');
    expect(replayed.length).toBeGreaterThan(0);
    for (const s of replayed) expect(s.failure).toMatch(/^SRTP replay/);
    const tampered = await run('srtp-tamper');
    for (const s of tampered.steps.filter((s) => s.summary === 'SRTP (tampered)'))
      expect(s.failure).toMatch(/^SRTP auth_failure/);
    expect(tampered.outcome.summary).toMatch(/^The SBC discarded 5 SRTP packets that failed authentication:/);
    expect((await run('srtp-replay')).outcome.summary).toMatch(/^The SBC discarded 5 SRTP packets that were replays:/);
  });
});

describe('what the attacker read, in the outcome', () => {
  it('counts the audio it decrypted in each direction', async () => {
    const t = await run('sdes-over-plain-sip');
    const read = (from: string) =>
      t.steps.filter(
        (s) => s.from === from && (s.protocol === 'SRTP' || s.protocol === 'RTP') && s.views.attacker.access === 'all',
      ).length;
    expect(read('pbx')).toBeGreaterThan(0);
    expect(read('sbc')).toBeGreaterThan(0);
    expect(t.outcome.summary).toContain(`${read('pbx')} of the PBX’s and ${read('sbc')} of the SBC’s audio packets`);
  });
});
