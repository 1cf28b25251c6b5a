/**
 * The shipped phrase, the tones, and the call as each party hears it. The
 * phrase's WAV is read with SoX (where installed) so the embedded module is
 * checked against the file a person would play.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spokenPhrase, toneSamples, TEST_TONE_HZ } from '../../sim/rtp/audio-sources';
import { G711Packetizer } from '../../sim/rtp/g711-packetizer';
import { writeRtpPacket } from '../../sim/rtp/rtp-packet';
import { SrtpContext } from '../../sim/rtp/srtp-context';
import { SRTP_SUITES } from '../../sim/rtp/srtp-suite';
import { audioAsAttackerHearsSrtp, audioFromRtp, rmsLevel } from '../../sim/rtp/call-audio';
import { decodeG711, encodeG711 } from '../../sim/rtp/g711';

const wav = fileURLToPath(new URL('../../sim/rtp/audio/phrase.wav', import.meta.url));

/** Pearson correlation of two equally long signals. */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('the spoken phrase', () => {
  it('is 8 kHz speech of a few seconds, loud enough to hear and not clipped', () => {
    const p = spokenPhrase();
    expect(p.sampleRate).toBe(8000);
    expect(p.samples.length / 8000).toBeGreaterThan(1.5);
    expect(p.samples.length / 8000).toBeLessThan(4);
    let peak = 0;
    for (const s of p.samples) peak = Math.max(peak, Math.abs(s));
    // Normalised to -3 dBFS by generate.sh.
    expect(peak / 32768).toBeGreaterThan(0.6);
    expect(peak / 32768).toBeLessThan(0.75);
    expect(p.title).toMatch(/encrypted with S R T P/);
  });

  it('holds the same samples as phrase.wav, read by SoX', () => {
    const raw = execFileSync('sox', [wav, '-t', 'raw', '-r', '8000', '-b', '16', '-e', 'signed-integer', '-L', '-'], {
      maxBuffer: 1 << 22,
    });
    expect(execFileSync('soxi', ['-r', wav], { encoding: 'utf8' }).trim()).toBe('8000');
    expect(execFileSync('soxi', ['-c', wav], { encoding: 'utf8' }).trim()).toBe('1');
    const fromWav = new Int16Array(new Uint8Array(raw).buffer);
    expect(Array.from(spokenPhrase().samples)).toEqual(Array.from(fromWav));
  });
});

describe('tones', () => {
  it('a 1004 Hz tone at -13 dBFS has the RMS a sine of that level has', () => {
    const t = toneSamples(TEST_TONE_HZ, 1000);
    expect(t.length).toBe(8000);
    const rms = rmsLevel(Float32Array.from(t, (s) => s / 32768));
    expect(20 * Math.log10(rms * Math.SQRT2)).toBeCloseTo(-13, 0);
    // It survives G.711: the decoded tone still correlates almost perfectly with the original.
    expect(correlation(decodeG711('pcmu', encodeG711('pcmu', t)), t)).toBeGreaterThan(0.999);
  });
});

describe('the call as each party hears it', () => {
  for (const law of ['pcmu', 'pcma'] as const) {
    it(`${law}: the endpoints hear the phrase; the attacker hears loud, uncorrelated noise`, () => {
      const phrase = spokenPhrase().samples;
      const packets = new G711Packetizer(law, { ssrc: 1, sequenceNumber: 100, timestamp: 0 })
        .packetize(phrase)
        .map((p) => writeRtpPacket(p).bytes);
      const key = Uint8Array.from({ length: 30 }, (_, i) => i);
      const sender = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', key);
      const receiver = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', key);
      const srtp = packets.map((p) => sender.protect(p));
      const decrypted = srtp.map((p) => {
        const r = receiver.unprotect(p);
        if (!r.ok) throw new Error(r.detail);
        return r.packet;
      });
      const endpoint = audioFromRtp(law, decrypted);
      const attacker = audioAsAttackerHearsSrtp(law, srtp, SRTP_SUITES.AES_CM_128_HMAC_SHA1_80);
      const original = Float32Array.from(phrase, (s) => s / 32768);
      expect(endpoint.length).toBe(Math.ceil(phrase.length / 160) * 160);
      expect(correlation(endpoint, original)).toBeGreaterThan(0.99);
      expect(Math.abs(correlation(attacker, original))).toBeLessThan(0.05);
      // Random G.711 codes are loud: louder than the speech itself.
      expect(rmsLevel(attacker)).toBeGreaterThan(rmsLevel(endpoint));
    });
  }
});
