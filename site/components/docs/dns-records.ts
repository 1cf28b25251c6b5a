/**
 * The DNS records a carrier publishes so that PBXs can find its SBCs from its
 * SIP domain (RFC 3263 §4): a NAPTR record naming the SRV record for SIP over
 * TLS (service `SIPS+D2T`, RFC 3263 §4.1), SRV records with priorities and
 * weights (RFC 2782), and an address for each target. Built from the
 * carrier profile; the second SBC and its address are an example of a
 * failover target (198.51.100.0/24 is documentation space, RFC 5737).
 */
import type { CarrierProfile } from '../../../sim/carrier';

/** The example's second SBC: the profile's host name with its first label's number one higher. */
export function secondSbc(carrier: CarrierProfile): { host: string; ip: string } {
  const [first, ...rest] = carrier.sbc.host.split('.');
  const numbered = /^(.*?)(\d+)$/.exec(first);
  const host = numbered ? `${numbered[1]}${Number(numbered[2]) + 1}` : `${first}-2`;
  const octets = carrier.sbc.ip.split('.');
  return { host: [host, ...rest].join('.'), ip: [...octets.slice(0, 3), String(Number(octets[3]) + 1)].join('.') };
}

/** The zone lines, in master file format (RFC 1035 §5). */
export function trunkDnsRecords(carrier: CarrierProfile): string {
  const domain = carrier.domain;
  const second = secondSbc(carrier);
  const port = carrier.sbc.tlsPort;
  return [
    `; order preference flags service regexp replacement`,
    `${domain}.  NAPTR 10 50 "s" "SIPS+D2T" "" _sips._tcp.${domain}.`,
    `; priority weight port target`,
    `_sips._tcp.${domain}.  SRV 10 50 ${port} ${carrier.sbc.host}.`,
    `_sips._tcp.${domain}.  SRV 20 50 ${port} ${second.host}.`,
    `${carrier.sbc.host}.  A ${carrier.sbc.ip}`,
    `${second.host}.  A ${second.ip}`,
  ].join('\n');
}

/** How to read those records from a shell. */
export function dnsLookupCommands(carrier: CarrierProfile): string {
  return [
    `dig +short NAPTR ${carrier.domain}`,
    `dig +short SRV _sips._tcp.${carrier.domain}`,
    `dig +short A ${carrier.sbc.host}`,
  ].join('\n');
}
