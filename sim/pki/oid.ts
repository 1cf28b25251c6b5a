/**
 * An OBJECT IDENTIFIER's contents as dotted decimal (X.690 §8.19): base-128
 * arcs, seven bits a byte with the top bit set on all but an arc's last byte;
 * the first arc holds 40·X + Y. Arcs may exceed 2^53 (UUID-based OIDs under
 * 2.25 do), so they are read as bigints. Undefined when the bytes are not a
 * well-formed OID: empty, an arc left unfinished, or an arc that starts with
 * 0x80 (not the fewest bytes, §8.19.2).
 */
export function decodeOid(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) {
    if (v === 0n && bytes[i] === 0x80) return undefined;
    v = (v << 7n) | BigInt(bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) {
      arcs.push(v);
      v = 0n;
    } else if (i === bytes.length - 1) {
      return undefined;
    }
  }
  const first = arcs[0];
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}
