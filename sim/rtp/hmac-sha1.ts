/**
 * HMAC-SHA1 (RFC 2104 §2 over SHA-1, FIPS 180-4 §6.1.2) shaped for SRTP's
 * authentication transform (RFC 3711 §4.2.1), which MACs every packet of a
 * stream with the same session key.
 *
 * HMAC(K, m) = H((K ⊕ opad) || H((K ⊕ ipad) || m)). The two padded-key
 * blocks are hashed once per key, so each stays as five words of SHA-1 state
 * (the "pad state"); a packet then costs only its own blocks plus one for the
 * outer hash. Blocks are read straight out of the packet and the ROC, with
 * fixed scratch buffers: nothing is copied or allocated per packet.
 *
 * @noble/hashes computes the same function (the engine's other HMACs use it,
 * and the tests check this one against it, RFC 2202 and OpenSSL), but a
 * general-purpose hash copies input into its block buffer and clones its
 * state per message; for 50 packets a second per call leg, over hours of
 * captures, that overhead was most of SRTP's cost.
 *
 * The SHA-1 compression function itself is in sha1-compress.ts.
 */

import { compress } from './sha1-compress';

const IV = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 | 0);
const BLOCK = 64;

export class HmacSha1 {
  private readonly innerPad = new Int32Array(5);
  private readonly outerPad = new Int32Array(5);
  private readonly h = new Int32Array(5);
  private readonly tail = new Uint8Array(2 * BLOCK);
  /**
   * The outer hash's one block: the inner digest, then 0x80, zeros and the bit length of opad-block || digest
   * (FIPS 180-4 §5.1.1), which are the same for every message: only the digest is written per message.
   */
  private readonly outerBlock = new Uint8Array(BLOCK);

  constructor(key: Uint8Array) {
    // RFC 2104 §2: a key longer than the block is hashed first; shorter keys are zero-padded.
    const k = new Uint8Array(BLOCK);
    k.set(key.length > BLOCK ? sha1(key) : key);
    const pad = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) pad[i] = k[i] ^ 0x36;
    this.innerPad.set(IV);
    compress(this.innerPad, pad, 0);
    for (let i = 0; i < BLOCK; i++) pad[i] = k[i] ^ 0x5c;
    this.outerPad.set(IV);
    compress(this.outerPad, pad, 0);
    this.outerBlock[20] = 0x80;
    writeBitLength(this.outerBlock, BLOCK - 8, BLOCK + 20);
  }

  /**
   * Writes HMAC-SHA1(K, data[0, length) || extra) to `out[at, at + 20)`.
   * `extra` is SRTP's 4-byte ROC, or empty.
   */
  macInto(data: Uint8Array, length: number, extra: Uint8Array, out: Uint8Array, at = 0): void {
    const h = this.h;
    h.set(this.innerPad);
    let offset = 0;
    for (; length - offset >= BLOCK; offset += BLOCK) compress(h, data, offset);
    // The rest of the message, the extra bytes, 0x80, zeros, and the 64-bit bit length (FIPS 180-4 §5.1.1).
    const t = this.tail;
    let n = 0;
    for (let i = offset; i < length; i++) t[n++] = data[i];
    for (let i = 0; i < extra.length; i++) t[n++] = extra[i];
    if (n >= BLOCK) {
      compress(h, t, 0);
      t.copyWithin(0, BLOCK, n);
      n -= BLOCK;
    }
    t[n++] = 0x80;
    const blocks = n + 8 > BLOCK ? 2 : 1;
    t.fill(0, n, blocks * BLOCK - 8);
    writeBitLength(t, blocks * BLOCK - 8, BLOCK + length + extra.length);
    compress(h, t, 0);
    if (blocks === 2) compress(h, t, BLOCK);
    writeState(h, this.outerBlock, 0);

    h.set(this.outerPad);
    compress(h, this.outerBlock, 0);
    writeState(h, out, at);
  }

  /** HMAC-SHA1 of `message`, as a new array (for tests and one-off use). */
  mac(message: Uint8Array): Uint8Array {
    const out = new Uint8Array(20);
    this.macInto(message, message.length, new Uint8Array(0), out);
    return out;
  }
}

/** Plain SHA-1 of a whole message (only for keys longer than a block). */
function sha1(message: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil((message.length + 9) / BLOCK) * BLOCK);
  padded.set(message);
  padded[message.length] = 0x80;
  writeBitLength(padded, padded.length - 8, message.length);
  const s = Int32Array.from(IV);
  for (let o = 0; o < padded.length; o += BLOCK) compress(s, padded, o);
  const out = new Uint8Array(20);
  writeState(s, out, 0);
  return out;
}

function writeBitLength(out: Uint8Array, at: number, bytes: number): void {
  const high = Math.floor(bytes / 0x20000000); // bits above 32 of bytes·8
  const low = (bytes * 8) >>> 0;
  out[at] = 0;
  out[at + 1] = 0;
  out[at + 2] = (high >>> 8) & 0xff;
  out[at + 3] = high & 0xff;
  out[at + 4] = low >>> 24;
  out[at + 5] = (low >>> 16) & 0xff;
  out[at + 6] = (low >>> 8) & 0xff;
  out[at + 7] = low & 0xff;
}

function writeState(s: Int32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 5; i++) {
    const v = s[i];
    out[at + 4 * i] = v >>> 24;
    out[at + 4 * i + 1] = (v >>> 16) & 0xff;
    out[at + 4 * i + 2] = (v >>> 8) & 0xff;
    out[at + 4 * i + 3] = v & 0xff;
  }
}
