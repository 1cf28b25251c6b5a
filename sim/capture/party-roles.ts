/**
 * Who is who in a capture. A real capture names no parties, only addresses;
 * the lab names them by role, as a support engineer would: the side that
 * opens the TLS connection (the TLS client) is the PBX's, the side that
 * accepts it the SBC's (RFC 5246 §7.3, RFC 8446 §2: the client speaks
 * first); over UDP, the side that registers, or that sends the first request,
 * is the PBX's. Media endpoints are learnt from the SDP each side sent.
 *
 * A host is known by its endpoint (address and port) first, so that two
 * parties on one machine (a test on 127.0.0.1) stay apart, and by its address
 * alone when only one party was seen there.
 */
import type { Party } from '../timeline';

export class PartyRoles {
  private readonly endpoints = new Map<string, Party>();
  private readonly addresses = new Map<string, Party | 'both'>();

  learn(ip: string, port: number, party: Party): void {
    const key = `${ip}|${port}`;
    if (!this.endpoints.has(key)) this.endpoints.set(key, party);
    const known = this.addresses.get(ip);
    if (known === undefined) this.addresses.set(ip, party);
    else if (known !== party) this.addresses.set(ip, 'both');
  }

  /** The party at an endpoint; by its address alone when that is unambiguous. */
  of(ip: string, port: number): Party | undefined {
    const exact = this.endpoints.get(`${ip}|${port}`);
    if (exact) return exact;
    const byAddress = this.addresses.get(ip);
    return byAddress === 'both' ? undefined : byAddress;
  }

  /** The party at an address alone, when only one was seen there. */
  ofAddress(ip: string): Party | undefined {
    const byAddress = this.addresses.get(ip);
    return byAddress === 'both' ? undefined : byAddress;
  }
}
