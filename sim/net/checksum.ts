/**
 * The Internet checksum (RFC 1071 §4.1): the one's complement of the one's
 * complement sum of 16-bit words. IPv4 headers, UDP and TCP all use it.
 */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  let sum = 0;
  // A part of odd length leaves its last byte to pair with the next part's first.
  let odd = -1;
  for (const p of parts) {
    const n = p.length;
    let i = 0;
    if (odd >= 0 && n > 0) {
      sum += (odd << 8) | p[0];
      odd = -1;
      i = 1;
    }
    for (; i + 1 < n; i += 2) sum += (p[i] << 8) | p[i + 1];
    if (i < n) odd = p[i];
  }
  if (odd >= 0) sum += odd << 8;
  // Fold the carries back in (RFC 1071 §4.1); sums stay exact as doubles far beyond any packet.
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
