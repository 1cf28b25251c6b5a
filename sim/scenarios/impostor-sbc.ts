/**
 * The attacker posing as the SBC, once the real SBC has refused to let it
 * relay (it has no client certificate the carrier signed, RFC 8446
 * §4.4.2.4). A PBX that does not check the SBC's certificate has already
 * finished its TLS handshake with the attacker, so the attacker answers the
 * PBX's SIP itself, as a registrar and a called party would, to collect
 * what the PBX gives away:
 *
 * - REGISTER without credentials: a 401 with a digest challenge of its own
 *   (RFC 3261 §22.2), asking for MD5, the cheapest algorithm to guess
 *   passwords against (RFC 7616 §3.3 lets the server choose);
 * - REGISTER with credentials: the PBX's digest response, kept: with the
 *   realm, the nonce and the cnonce it is everything needed to test password
 *   guesses offline (RFC 7616 §5). It cannot check the response (it does
 *   not know the password), so it accepts the registration with 200 OK;
 * - INVITE: the dialled number and, in the SDP's a=crypto lines, the keys the
 *   PBX will encrypt its audio with (RFC 4568 §6.1). It cannot connect the
 *   call to anyone, so after 100 Trying it answers 503 Service Unavailable
 *   (RFC 3261 §21.5.4);
 * - OPTIONS: 200 OK, as any SBC would; anything else: 481.
 *
 * The messages are built by the engine's own SIP code (responses, digest
 * challenges); what the attacker learns comes from parsing what the PBX sent.
 */
import type { RandomSource } from '../crypto/random';
import { formatChallenge, parseCredentials } from '../sip/digest';
import { newNonce, newTag } from '../sip/identifiers';
import { headerValue, headerValues, type SipResponse } from '../sip/message';
import type { ParsedSipMessage } from '../sip/parse';
import { responseTo } from '../sip/response';

/** What the impostor answered, and what it learned from the request. */
export interface ImpostorAnswer {
  send: SipResponse[];
  /** What the attacker now holds, in words, if anything. */
  learned?: string;
}

export class ImpostorSbc {
  /** Registrations it accepted: user name → the Contact the PBX gave. */
  readonly registered = new Map<string, string>();

  constructor(private readonly random: RandomSource) {}

  receive(p: ParsedSipMessage): ImpostorAnswer {
    const m = p.message;
    if (m.kind !== 'request') return { send: [] };
    const toTag = newTag(this.random);
    switch (m.method) {
      case 'REGISTER': {
        const credentials = headerValues(m, 'Authorization')
          .map(parseCredentials)
          .find((c) => c !== undefined);
        const realm = hostOf(m.uri);
        if (!credentials) {
          const challenge = formatChallenge({ realm, nonce: newNonce(this.random), algorithm: 'MD5', qop: 'auth' });
          return { send: [responseTo(m, 401, { toTag, headers: [{ name: 'WWW-Authenticate', value: challenge }] })] };
        }
        const contact = headerValue(m, 'Contact') ?? '';
        this.registered.set(credentials.username, contact);
        const expires = headerValue(m, 'Expires') ?? '3600';
        return {
          send: [
            responseTo(m, 200, {
              toTag,
              headers: contact ? [{ name: 'Contact', value: `${contact};expires=${expires}` }] : [],
            }),
          ],
          learned: `the ${credentials.algorithm} digest response of user “${credentials.username}” (realm ${credentials.realm}, its own nonce, the PBX’s cnonce): every password guess can now be checked against it offline`,
        };
      }
      case 'INVITE':
        return {
          send: [responseTo(m, 100), responseTo(m, 503, { toTag })],
          learned: `the number the PBX dialled, ${dialled(m.uri)}`,
        };
      case 'OPTIONS':
        return { send: [responseTo(m, 200, { toTag })] };
      case 'ACK':
        return { send: [] };
      default:
        return { send: [responseTo(m, 481, { toTag })] };
    }
  }
}

/** The host of a SIP URI: `quillfeather.example` from `sip:quillfeather.example;transport=tls`. */
function hostOf(uri: string): string {
  return /^sips?:(?:[^@]*@)?([^:;>?]+)/i.exec(uri)?.[1] ?? uri;
}

/** The user part of a Request-URI: the number a call is for. */
function dialled(uri: string): string {
  return /^sips?:([^@;]+)@/i.exec(uri)?.[1] ?? uri;
}
