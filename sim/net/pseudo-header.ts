/**
 * The pseudo-header TCP and UDP checksums cover before the segment itself, so
 * that a segment delivered to the wrong address fails its checksum:
 *
 * - over IPv4 (RFC 9293 §3.1, RFC 768): source address, destination address,
 *   a zero byte, the protocol number and the TCP or UDP length (12 bytes);
 * - over IPv6 (RFC 8200 §8.1): source address, destination address, the
 *   upper-layer length as 32 bits, three zero bytes and the next header (40 bytes).
 */
import { ipAddressBytes } from './address';

export function transportPseudoHeader(src: string, dst: string, protocol: number, length: number): Uint8Array {
  const a = ipAddressBytes(src);
  const b = ipAddressBytes(dst);
  if (a.length === 4) {
    const out = new Uint8Array(12);
    out.set(a, 0);
    out.set(b, 4);
    out.set([0, protocol, length >> 8, length & 0xff], 8);
    return out;
  }
  const out = new Uint8Array(40);
  out.set(a, 0);
  out.set(b, 16);
  out.set([length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff, 0, 0, 0, protocol], 32);
  return out;
}
