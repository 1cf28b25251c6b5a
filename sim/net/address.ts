/** IPv4 addresses and transport endpoints as the network layer writes them. */

export interface Endpoint {
  ip: string;
  port: number;
}

export function ipv4Bytes(ip: string): Uint8Array {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new RangeError(`not an IPv4 address: ${ip}`);
  }
  return Uint8Array.from(parts);
}

export function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes).join('.');
}

export function formatEndpoint(e: Endpoint): string {
  return `${e.ip}:${e.port}`;
}
