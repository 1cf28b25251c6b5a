/**
 * Address ranges in CIDR notation (RFC 4632 §3.1): `203.0.113.0/24`, an IPv6
 * prefix such as `2001:db8::/32`, or a single address (a /32 or /128). How an
 * SBC with IP authentication says which customer addresses it trusts.
 */
import { parseIpAddress } from '../pki/host-name';

export interface AddressRange {
  /** As written, for messages. */
  text: string;
  network: Uint8Array;
  prefixLength: number;
}

/** A range, or why the text is not one. */
export function parseAddressRange(text: string): AddressRange | string {
  const [address, prefix, ...rest] = text.trim().split('/');
  const network = parseIpAddress(address ?? '');
  if (!network || rest.length > 0) return `"${text}" is not an IP address or CIDR range (like 203.0.113.0/24)`;
  const bits = network.length * 8;
  const prefixLength = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(prefixLength >= 0 && prefixLength <= bits)) return `"${text}": the prefix length must be 0 to ${bits}`;
  return { text: text.trim(), network, prefixLength };
}

/** Whether `ip` lies in `range`: its first prefixLength bits equal the network's (RFC 4632 §3.1). */
export function rangeContains(range: AddressRange, ip: string): boolean {
  const address = parseIpAddress(unmappedIpv4(ip));
  if (!address || address.length !== range.network.length) return false;
  for (let bit = 0; bit < range.prefixLength; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((address[bit >> 3] & mask) !== (range.network[bit >> 3] & mask)) return false;
  }
  return true;
}

/** `::ffff:192.0.2.1`, as a dual-stack socket reports an IPv4 peer, as the IPv4 address it is (RFC 4291 §2.5.5.2). */
export function unmappedIpv4(ip: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip;
}
