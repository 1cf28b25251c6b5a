/** IPv4 addresses and transport endpoints as the network layer writes them. */

export interface Endpoint {
  ip: string;
  port: number;
}

/** Addresses already parsed: a run uses a handful, on every packet. */
const parsed = new Map<string, Uint8Array>();

export function ipv4Bytes(ip: string): Uint8Array {
  let bytes = parsed.get(ip);
  if (!bytes) {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
      throw new RangeError(`not an IPv4 address: ${ip}`);
    }
    bytes = Uint8Array.from(parts);
    if (parsed.size < 1024) parsed.set(ip, bytes);
  }
  return bytes.slice();
}

export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

export function formatEndpoint(e: Endpoint): string {
  return `${e.ip}:${e.port}`;
}
