/**
 * G.711 companding (ITU-T Recommendation G.711, 1988): 16-bit linear PCM to
 * 8-bit µ-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8),
 * the two codecs every SIP trunk supports (RFC 3551 §4.5.14).
 *
 * Both laws split the magnitude into eight segments (chords) of sixteen
 * steps each, so quiet sounds keep fine steps and loud ones coarse ones:
 *
 * µ-law (G.711 Table 2a), on 14-bit values:
 * 1. Take the magnitude, clip it to 8159, add the bias 33.
 * 2. The segment is the position of the highest set bit above bit 5 (0–7).
 * 3. The step is the four bits below that bit.
 * 4. The code is sign | segment | step, with every bit inverted.
 *
 * A-law (G.711 Table 1a) works on 13-bit values with no bias; its first two
 * segments share one step size, and even bits are inverted (XOR 0x55) so that
 * silence does not send long runs of zeros.
 *
 * Decoding returns the midpoint of the step, as the tables list it.
 */

export type G711Law = 'pcmu' | 'pcma';

/** RTP payload types of the static audio/video profile (RFC 3551 §6, Table 4). */
export const G711_PAYLOAD_TYPE: Record<G711Law, number> = { pcmu: 0, pcma: 8 };

export const G711_NAME: Record<G711Law, string> = { pcmu: 'PCMU (G.711 µ-law)', pcma: 'PCMA (G.711 A-law)' };

const ULAW_BIAS = 0x84;
/** Upper bounds of the eight µ-law segments on the biased 14-bit magnitude. */
const ULAW_SEGMENT_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];

/**
 * Encodes one 16-bit sample to µ-law. G.711 takes 14-bit input, so the
 * sample is first shifted right by two (rounding toward minus infinity, as
 * the widely used reference coder does).
 */
export function linearToUlaw(sample: number): number {
  let value = sample >> 2;
  let mask: number;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  } else {
    mask = 0xff;
  }
  if (value > 8159) value = 8159; // the largest magnitude the top segment holds
  value += ULAW_BIAS >> 2;
  let segment = 0;
  while (segment < 8 && value > ULAW_SEGMENT_END[segment]) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  // Sign, segment and step are sent with every bit inverted (G.711 Table 2a).
  return ((segment << 4) | ((value >> (segment + 1)) & 0x0f)) ^ mask;
}

/** Decodes one µ-law byte to a 16-bit sample. */
export function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  const t = (((u & 0x0f) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

/** Upper bounds of the eight A-law segments on the 13-bit magnitude. */
const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** Encodes one 16-bit sample to A-law. */
export function linearToAlaw(sample: number): number {
  let value = sample >> 3;
  let mask: number;
  if (value >= 0) {
    mask = 0xd5; // sign bit set for positive values, then the even-bit inversion
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  let segment = 0;
  while (segment < 8 && value > ALAW_SEGMENT_END[segment]) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  const step = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | step) ^ mask;
}

/** Decodes one A-law byte to a 16-bit sample. */
export function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

const ULAW_TABLE = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i));
const ALAW_TABLE = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i));

/** Encodes 16-bit samples to G.711 bytes. */
export function encodeG711(law: G711Law, samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  const encode = law === 'pcmu' ? linearToUlaw : linearToAlaw;
  for (let i = 0; i < samples.length; i++) out[i] = encode(samples[i]);
  return out;
}

/** Decodes G.711 bytes to 16-bit samples. */
export function decodeG711(law: G711Law, codes: Uint8Array): Int16Array {
  const table = law === 'pcmu' ? ULAW_TABLE : ALAW_TABLE;
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i]];
  return out;
}

/**
 * Decodes G.711 bytes to samples in [-1, 1): the form the Web Audio API's
 * `AudioBuffer.copyToChannel` takes. Any bytes decode — which is how an
 * attacker "hears" ciphertext: as noise.
 */
export function decodeG711ToFloat32(law: G711Law, codes: Uint8Array): Float32Array {
  const table = law === 'pcmu' ? ULAW_TABLE : ALAW_TABLE;
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i]] / 32768;
  return out;
}
