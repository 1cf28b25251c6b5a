/**
 * The call as each party hears it, as Float32 samples for the Web Audio API
 * (`AudioContext.createBuffer(1, n, 8000)` then `copyToChannel`):
 *
 * - the PBX and the SBC decrypt each SRTP packet and decode its G.711
 *   payload (ITU-T G.711; RFC 3551 §4.5.14): they hear the voice;
 * - the attacker has no key, so the most it can do is play the encrypted
 *   payload as if it were G.711 — which sounds like white noise, because
 *   AES output is indistinguishable from random bytes. With plain RTP the
 *   attacker hears the voice exactly as the endpoints do.
 */
import { decodeG711ToFloat32, type G711Law } from './g711';
import { rtpHeaderLength } from './srtp-context';
import type { SrtpSuite } from './srtp-suite';

/** Concatenates the payloads of plain RTP packets, decoded (what an endpoint plays). */
export function audioFromRtp(law: G711Law, rtpPackets: readonly Uint8Array[]): Float32Array {
  return join(
    law,
    rtpPackets.map((p) => {
      const header = rtpHeaderLength(p, p.length);
      if (header < 0) return new Uint8Array(0);
      const padding = p[0] & 0x20 ? p[p.length - 1] : 0;
      return p.subarray(header, Math.max(header, p.length - padding));
    }),
  );
}

/**
 * What an eavesdropper gets by playing SRTP packets' encrypted payloads as
 * G.711: the bytes between the header and the trailer (MKI and tag).
 */
export function audioAsAttackerHearsSrtp(
  law: G711Law,
  srtpPackets: readonly Uint8Array[],
  suite: SrtpSuite,
  mkiLength = 0,
): Float32Array {
  const trailer = suite.srtpTagLength + mkiLength;
  return join(
    law,
    srtpPackets.map((p) => {
      const header = rtpHeaderLength(p, p.length - trailer);
      return header < 0 ? new Uint8Array(0) : p.subarray(header, p.length - trailer);
    }),
  );
}

function join(law: G711Law, payloads: Uint8Array[]): Float32Array {
  const out = new Float32Array(payloads.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of payloads) {
    out.set(decodeG711ToFloat32(law, p), at);
    at += p.length;
  }
  return out;
}

/** Root-mean-square level of samples (1 is a full-scale square wave): how loud a clip is. */
export function rmsLevel(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}
