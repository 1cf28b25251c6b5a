/**
 * Plain operations on byte arrays that every layer needs: hex and base64
 * text forms, concatenation, constant-time comparison, and the big-endian
 * 32-bit words that block ciphers and hashes read and write.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Each byte's two hex characters as one 16-bit unit in the platform's byte order, for `toHex`. */
const HEX_PAIRS = (() => {
  const pairs = new Uint16Array(256);
  const view = new Uint8Array(pairs.buffer);
  for (let i = 0; i < 256; i++) {
    view[2 * i] = HEX[i].charCodeAt(0);
    view[2 * i + 1] = HEX[i].charCodeAt(1);
  }
  return pairs;
})();
const ascii = new TextDecoder();

/** Node's Buffer, whose native hex encoder a packet-sized value is worth the call; undefined in browsers. */
type HexBuffer = { from(b: ArrayBufferLike, at: number, n: number): { toString(enc: 'hex'): string } };
const nodeBuffer = (() => {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (host?.getBuiltinModule?.('node:buffer') as { Buffer?: HexBuffer } | undefined)?.Buffer;
  } catch {
    return undefined;
  }
})();

export function toHex(bytes: Uint8Array): string {
  // Short values by concatenation; longer ones (whole packets) by Node's native encoder, or
  // written as ASCII, two characters a store, and decoded at once: one flat string instead of a
  // chain of intermediate ones for the collector.
  if (bytes.length < 32) {
    let s = '';
    for (const b of bytes) s += HEX[b];
    return s;
  }
  if (nodeBuffer) return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  return toHexInJavaScript(bytes);
}

/** `toHex`'s path where there is no Node Buffer (browsers); exported so tests hold it to the reference in Node too. */
export function toHexInJavaScript(bytes: Uint8Array): string {
  const out = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = HEX_PAIRS[bytes[i]];
  return ascii.decode(out);
}

/** Parses hex, ignoring white space and colons (as RFC test vectors print them). */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new TypeError(`not hex: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The big-endian 32-bit word at `bytes[at]`, as a signed 32-bit integer (what bitwise operators give). */
export function int32At(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}

/** Writes `value`'s low 32 bits big-endian at `bytes[at]`. */
export function putInt32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

/** Compares in time that does not depend on where the arrays differ (for MACs and Finished values). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * Strict base64 (RFC 4648 §4): returns undefined rather than guessing at bad
 * input. Checked one character at a time: a regular expression over a body of
 * megabytes exhausts the stack.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  for (let i = 0; i < text.length; i++) {
    if (isBase64Letter(text.charCodeAt(i))) continue;
    // Padding: "=" as the last character, or "==" as the last two (RFC 4648 §4).
    const padding = text.length - i;
    if (padding <= 2 && text.slice(i) === '='.repeat(padding)) break;
    return undefined;
  }
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A-Z, a-z, 0-9, "+" and "/" (RFC 4648 Table 1). */
function isBase64Letter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}
