/**
 * The Internet checksum (RFC 1071 §4.1): the one's complement of the one's
 * complement sum of 16-bit words. IPv4 headers, UDP and TCP all use it.
 */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts) {
    for (const byte of p) {
      if (odd === undefined) odd = byte;
      else {
        sum += (odd << 8) | byte;
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
