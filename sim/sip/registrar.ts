/**
 * The carrier's registrar (RFC 3261 §10.3): how the SBC learns where a
 * customer's PBX is, after making sure it is that customer.
 *
 * With `auth: 'registration'` the PBX proves it knows the trunk password by
 * digest (RFC 3261 §22.4, RFC 7616):
 *   REGISTER → 401 with a fresh nonce → REGISTER with Authorization → 200 OK.
 * The 401 carries one WWW-Authenticate per algorithm the registrar accepts,
 * most preferred first, each with its own nonce (RFC 8760 §2); a response is
 * accepted only with the algorithm its nonce was issued for, so a client
 * cannot pick an algorithm the registrar did not offer.
 * Wrong credentials (a bad password, an unknown user) get another 401 and a
 * new challenge, in case the first try was a typo; the next failure on the
 * same Call-ID gets 403 Forbidden, so a guesser cannot try forever. An
 * unknown user is answered as a wrong password is: the registrar cannot
 * authenticate a name it has no password for (§10.3 step 3), and a
 * different answer would tell a stranger which trunk names exist.
 *
 * Once authenticated, RFC 3261 §10.3 steps 4 and 5: a user may register only
 * its own address of record (else 403 Forbidden), and an address of record
 * outside the registrar's domain (the realm) is not found (404): a PBX whose
 * To names another domain is told so rather than registered.
 *
 * With `auth: 'ip'` the carrier knows the PBX by its source address instead:
 * a REGISTER (or any request) from a listed address or range (CIDR) is
 * accepted without a challenge, and anything else gets 403.
 *
 * Nonces come from a RandomSource and bindings expire on a Clock, so a seeded
 * run repeats exactly.
 */
import type { Clock } from '../crypto/clock';
import type { RandomSource } from '../crypto/random';
import { equalBytes, utf8 } from '../wire/bytes';
import type { NameAddress } from './address';
import { formatUri, type SipUri } from './uri';
import { digestResponse, formatChallenge, parseCredentials, type DigestAlgorithm } from './digest';
import { newNonce, newTag } from './identifiers';
import { parseAddressRange, rangeContains, type AddressRange } from '../net/address-range';
import type { SipResponse } from './message';
import type { ParsedSipMessage } from './parse';
import { responseTo } from './response';

export interface RegistrarConfig {
  realm: string;
  auth: 'registration' | 'ip';
  /** The digest algorithms it challenges with, most preferred first: one challenge each (RFC 8760 §2). */
  algorithms: readonly DigestAlgorithm[];
  /** Trunk accounts: user name → password. */
  accounts: Record<string, string>;
  /** Source addresses, or CIDR ranges, accepted under IP authentication. */
  trustedAddresses: readonly string[];
  /** Failed credential attempts per Call-ID before 403 (RFC 3261 §22.2 leaves the number to the server). */
  maxFailures?: number;
  /** Expiry when the request names none (RFC 3261 §10.3 step 7: a locally configured default). */
  defaultExpires?: number;
}

export interface Binding {
  aor: string;
  contact: string;
  /** Clock time, in ms, at which the binding lapses. */
  expiresAt: number;
}

/** Why the registrar answered as it did, for the Timeline. */
export type RegistrarVerdict =
  | 'challenged'
  | 'registered'
  | 'wrong_credentials'
  | 'unknown_user'
  | 'forbidden'
  /** Authenticated, but as a user who may not register this address of record (§10.3 step 4). */
  | 'not_authorized'
  /** The address of record is not in the registrar's domain (§10.3 step 5). */
  | 'not_found'
  | 'stale_nonce'
  | 'untrusted_address'
  | 'bad_request';

/** Nonces remembered at once; older ones are answered as stale (RFC 7616 §3.3). */
const MAX_OUTSTANDING_NONCES = 1024;
/**
 * Registrations (by Call-ID) whose failed attempts are counted at once. A client that tries password after
 * password, each time under a new Call-ID, makes one entry per try: past this many, the oldest count is dropped.
 */
export const MAX_COUNTED_FAILURES = 1024;

export class Registrar {
  /** nonce → the algorithm it was issued for, and the highest nonce count seen with it. */
  private readonly nonces = new Map<string, { algorithm: DigestAlgorithm; nc: number }>();
  private readonly failures = new Map<string, number>(); // Call-ID → failed attempts
  private readonly bindings = new Map<string, Binding[]>();
  private readonly trusted: AddressRange[];

  constructor(
    private readonly config: RegistrarConfig,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {
    this.trusted = config.trustedAddresses.map((text) => {
      const range = parseAddressRange(text);
      if (typeof range === 'string') throw new RangeError(`trusted address ${range}`);
      return range;
    });
  }

  /** Whether IP authentication accepts requests from `ip`. */
  trusts(ip: string): boolean {
    return this.trusted.some((r) => rangeContains(r, ip));
  }

  /** Current bindings of an address of record, expired ones dropped. */
  bindingsOf(aor: string): Binding[] {
    const now = this.clock.now();
    return (this.bindings.get(aor) ?? []).filter((b) => b.expiresAt > now);
  }

  handle(p: ParsedSipMessage, source: { ip: string }): { response: SipResponse; verdict: RegistrarVerdict } {
    const m = p.message;
    if (m.kind !== 'request' || m.method !== 'REGISTER') throw new TypeError('the registrar takes REGISTER requests');
    const toTag = newTag(this.random);
    const reply = (
      status: number,
      verdict: RegistrarVerdict,
      headers: Array<{ name: string; value: string }> = [],
    ) => ({
      response: responseTo(m, status, { toTag, headers }),
      verdict,
    });
    const to = p.headers.find((h) => h.canonical === 'To')?.parsed as NameAddress | undefined;
    if (!to || to.uri.kind !== 'sip') return reply(400, 'bad_request');
    const aorUri = to.uri as SipUri;
    const aor = `${aorUri.scheme}:${aorUri.user ?? ''}@${aorUri.host.toLowerCase()}`;

    if (this.config.auth === 'ip') {
      // IP authentication: the source address is the credential.
      if (!this.trusts(source.ip)) return reply(403, 'untrusted_address');
    } else {
      const callId = p.headers.find((h) => h.canonical === 'Call-ID')?.parsed as string;
      const challenge = (stale = false) =>
        this.config.algorithms.map((algorithm) => {
          const nonce = newNonce(this.random);
          this.nonces.set(nonce, { algorithm, nc: 0 });
          // Memory stays bounded however many challenges a client asks for: the oldest nonce goes stale.
          if (this.nonces.size > MAX_OUTSTANDING_NONCES) this.nonces.delete(this.nonces.keys().next().value!);
          return {
            name: 'WWW-Authenticate',
            value: formatChallenge({ realm: this.config.realm, nonce, algorithm, qop: 'auth', stale }),
          };
        });
      const fail = (verdict: RegistrarVerdict) => {
        const n = (this.failures.get(callId) ?? 0) + 1;
        this.failures.set(callId, n);
        if (this.failures.size > MAX_COUNTED_FAILURES) this.failures.delete(this.failures.keys().next().value!);
        if (n >= (this.config.maxFailures ?? 2)) return reply(403, 'forbidden');
        return reply(401, verdict, challenge());
      };
      // Only Digest credentials for our realm count; any other scheme is as good as none (RFC 4475 §3.3.7).
      const credentials = m.headers
        .filter((h) => h.name.toLowerCase() === 'authorization')
        .map((h) => parseCredentials(h.value))
        .find((c) => c && c.realm === this.config.realm);
      if (!credentials) return reply(401, 'challenged', challenge());
      if (credentials.uri !== m.uri) return reply(400, 'bad_request'); // RFC 7616 §3.4.6
      const password = Object.hasOwn(this.config.accounts, credentials.username)
        ? this.config.accounts[credentials.username]
        : undefined;
      if (password === undefined) return fail('unknown_user');
      const issued = this.nonces.get(credentials.nonce);
      // A digest made with another algorithm than its nonce was issued for is not an answer to that challenge.
      if (issued && issued.algorithm !== credentials.algorithm) return fail('wrong_credentials');
      const expected = digestResponse({
        algorithm: credentials.algorithm,
        username: credentials.username,
        realm: this.config.realm,
        password,
        method: m.method,
        uri: credentials.uri,
        nonce: credentials.nonce,
        qop: credentials.qop,
        nc: credentials.nc,
        cnonce: credentials.cnonce,
      });
      if (!equalBytes(utf8(expected), utf8(credentials.response))) return fail('wrong_credentials');
      const nc = credentials.nc ? parseInt(credentials.nc, 16) : 1;
      if (issued === undefined || nc <= issued.nc) {
        // Right password, but a nonce we did not issue or a replayed count: ask again (RFC 7616 §3.3 stale).
        return reply(401, 'stale_nonce', challenge(true));
      }
      issued.nc = nc;
      // RFC 3261 §10.3 step 4: the authenticated user may register only its own address of record.
      if (aorUri.user !== credentials.username) return reply(403, 'not_authorized');
      this.failures.delete(callId);
    }
    // RFC 3261 §10.3 step 5: an address of record outside the domain the registrar keeps bindings for is not found.
    if (aorUri.host.toLowerCase() !== this.config.realm.toLowerCase()) return reply(404, 'not_found');

    // RFC 3261 §10.3 steps 7–8: update the bindings, answer with all of them.
    const expiresHeader = p.headers.find((h) => h.canonical === 'Expires')?.parsed as number | undefined;
    const contacts = p.headers.filter((h) => h.canonical === 'Contact').map((h) => h.parsed as NameAddress[] | '*');
    const now = this.clock.now();
    let list = this.bindingsOf(aor);
    for (const c of contacts) {
      if (c === '*') {
        if (expiresHeader !== 0) return reply(400, 'bad_request'); // "*" only with Expires: 0
        list = [];
        continue;
      }
      for (const a of c) {
        const paramExpires = a.params.find((x) => x.name.toLowerCase() === 'expires')?.value;
        const seconds =
          paramExpires !== undefined ? Number(paramExpires) : (expiresHeader ?? this.config.defaultExpires ?? 3600);
        const contact = formatUri(a.uri);
        list = list.filter((b) => b.contact !== contact);
        if (seconds > 0) list.push({ aor, contact, expiresAt: now + seconds * 1000 });
      }
    }
    this.bindings.set(aor, list);
    const headers = list.map((b) => ({
      name: 'Contact',
      value: `<${b.contact}>;expires=${Math.round((b.expiresAt - now) / 1000)}`,
    }));
    return reply(200, 'registered', headers);
  }
}
