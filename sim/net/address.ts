/**
 * IP addresses and transport endpoints as the network layer writes them:
 * IPv4 dotted quads (RFC 791 §3.2) and IPv6 text (RFC 4291 §2.2, written as
 * RFC 5952 §4 recommends).
 */
import { SharedPairTexts } from '../wire/shared-texts';

export interface Endpoint {
  ip: string;
  port: number;
}

/** Addresses already parsed: a run uses a handful, on every packet. */
const parsed = new Map<string, Uint8Array>();

/** The four bytes of a dotted quad, in an array of the caller's own. */
export function ipv4Bytes(ip: string): Uint8Array {
  return sharedIpv4Bytes(ip).slice();
}

/**
 * The four bytes of a dotted quad, shared with every other caller: read them
 * (the header writers copy them into their packets), never change them.
 */
export function sharedIpv4Bytes(ip: string): Uint8Array {
  let bytes = parsed.get(ip);
  if (!bytes) {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
      throw new RangeError(`not an IPv4 address: ${ip}`);
    }
    bytes = Uint8Array.from(parts);
    if (parsed.size < 1024) parsed.set(ip, bytes);
  }
  return bytes;
}

export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * Endpoints already written, by address and port: a run names a handful, on
 * every packet (its step's source and destination, a socket's lookup key),
 * and one shared string is also hashed only once. A capture may hold many
 * more endpoints than a run.
 */
const endpointTexts = new SharedPairTexts<string, number>(4096);
const endpointText = (ip: string, port: number) => `${ip}:${port}`;

export function formatEndpoint(e: Endpoint): string {
  return endpointTexts.text(e.ip, e.port, endpointText);
}

/** RFC 5952 §4 text form: lower case, longest run of zero groups as "::". */
export function formatIpv6(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The 16 bytes of an IPv6 address in any RFC 4291 §2.2 text form (`::` and a dotted IPv4 tail included). */
export function ipv6Bytes(text: string): Uint8Array {
  const fail = () => new RangeError(`not an IPv6 address: ${text}`);
  let head = text;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    head = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
    const v4 = ipv4Bytes(dotted[2]);
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
  }
  const halves = head.split('::');
  if (halves.length > 2) throw fail();
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const words = [...left, ...right].map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw fail();
    return parseInt(g, 16);
  });
  const missing = 8 - words.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) throw fail();
  const all = [...words.slice(0, left.length), ...new Array<number>(halves.length === 2 ? missing : 0).fill(0)];
  all.push(...words.slice(left.length), ...tail);
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** An IPv4 or IPv6 address's bytes, by its text form. */
export function ipAddressBytes(text: string): Uint8Array {
  return text.includes(':') ? ipv6Bytes(text) : ipv4Bytes(text);
}
