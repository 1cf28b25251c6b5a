/**
 * The secure-trunk mistakes a support engineer looks for in a SIP message,
 * as findings with codes, severities, the line, and the rule they break:
 *
 * | code                        | what                                                          | spec               |
 * | --------------------------- | ------------------------------------------------------------- | ------------------ |
 * | invalid-message             | the message breaks RFC 3261 (missing or doubled headers, ...) | RFC 3261 §8.1.1    |
 * | via-not-tls                 | the top Via says the hop is not TLS                           | RFC 3261 §18.2.1   |
 * | sip-uri-without-tls         | a sip: URI without transport=tls where routing needs TLS      | RFC 3261 §26.2.2   |
 * | tls-on-port-5060            | TLS asked for on port 5060, the plain SIP port                | RFC 3261 §19.1.2   |
 * | private-contact             | Contact points at a private address (unreachable past NAT)    | RFC 1918 §3        |
 * | private-via                 | Via sent-by is a private address                              | RFC 1918 §3        |
 * | private-media-address       | SDP c= is a private address: one-way or no audio              | RFC 8866 §5.7      |
 * | rtp-where-srtp-required     | m= offers RTP/AVP but the carrier requires SRTP               | RFC 3711 §12       |
 * | missing-crypto              | RTP/SAVP without any a=crypto                                 | RFC 4568 §7.1.1    |
 * | malformed-crypto            | an a=crypto line that does not parse                          | RFC 4568 §9        |
 * | suite-not-accepted          | a suite the carrier does not take                             | RFC 4568 §6.2      |
 * | no-acceptable-crypto        | no a=crypto the carrier could answer: 488 follows             | RFC 4568 §7.1.2    |
 * | mki-not-accepted            | an MKI the carrier does not accept                            | RFC 4568 §6.1      |
 * | lifetime-too-long           | a key lifetime beyond 2^48 (SRTP) or 2^31 (SRTCP) packets     | RFC 3711 §9.2      |
 * | protection-disabled         | UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP or UNAUTHENTICATED_SRTP   | RFC 4568 §6.3      |
 * | keys-over-plain-transport   | SDES keys in a message that did not travel over TLS           | RFC 4568 §8.1      |
 * | branch-without-cookie       | a Via branch without z9hG4bK                                  | RFC 3261 §8.1.1.7  |
 */
import type { CarrierProfile } from '../carrier';
import { isSrtpSuiteName } from '../rtp/srtp-suite';
import type { Field } from '../wire/field';
import type { NameAddress } from './address';
import { cryptoProblem } from './offer-answer';
import type { ParsedSipMessage } from './parse';
import { MAX_SRTP_LIFETIME, lifetimePackets, parseCryptoAttribute } from './sdes';
import { attributes, mediaConnection, parseSdp } from './sdp';
import { isSipParseError } from './syntax-error';
import { isIpv4Address, uriParam, type Uri } from './uri';
import { checkMessage } from './validate';
import { BRANCH_MAGIC_COOKIE, viaBranch, type Via } from './via';

export type LintSeverity = 'error' | 'warning';

export type LintCode =
  | 'invalid-message'
  | 'via-not-tls'
  | 'sip-uri-without-tls'
  | 'tls-on-port-5060'
  | 'private-contact'
  | 'private-via'
  | 'private-media-address'
  | 'rtp-where-srtp-required'
  | 'missing-crypto'
  | 'malformed-crypto'
  | 'suite-not-accepted'
  | 'no-acceptable-crypto'
  | 'mki-not-accepted'
  | 'lifetime-too-long'
  | 'protection-disabled'
  | 'keys-over-plain-transport'
  | 'branch-without-cookie';

export interface LintFinding {
  code: LintCode;
  severity: LintSeverity;
  /** 1-based line of the message (SDP lines counted from the top of the SIP message). */
  line: number;
  message: string;
  spec: string;
}

/**
 * Private and otherwise non-routable IPv4 ranges: RFC 1918 §3, shared address
 * space (RFC 6598 §7), loopback and link-local (RFC 6890 §2.2.2).
 */
export function isPrivateAddress(host: string): boolean {
  if (isIpv4Address(host)) {
    const [a, b] = host.split('.').map(Number);
    return (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a === 127 ||
      (a === 169 && b === 254)
    );
  }
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  // RFC 4193 unique local fc00::/7, RFC 4291 link-local fe80::/10, loopback ::1.
  return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h) || h === '::1';
}

export function lintSipMessage(p: ParsedSipMessage, input: Uint8Array, carrier: CarrierProfile): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (code: LintCode, severity: LintSeverity, line: number, message: string, spec: string) =>
    findings.push({ code, severity, line, message, spec });
  const m = p.message;

  const invalid = checkMessage(p);
  if (invalid)
    add('invalid-message', 'error', invalid.line ?? 1, `${invalid.status}: ${invalid.detail}`, 'RFC 3261 §8.1.1');

  // The hop this message took: the top Via (RFC 3261 §18.2.1).
  const viaHeader = p.headers.find((h) => h.canonical === 'Via');
  const topVia = (viaHeader?.parsed as Via[] | undefined)?.[0];
  const overTls = topVia?.transport.toUpperCase() === 'TLS';
  if (viaHeader && topVia && !overTls) {
    add(
      'via-not-tls',
      'error',
      viaHeader.line,
      `the top Via says ${topVia.transport}; the carrier's trunk is SIP over TLS on port ${carrier.sbc.tlsPort}`,
      'RFC 3261 §18.2.1',
    );
  }
  for (const h of p.headers.filter((x) => x.canonical === 'Via')) {
    for (const v of h.parsed as Via[]) {
      if (v.transport.toUpperCase() === 'TLS' && v.port === 5060)
        add(
          'tls-on-port-5060',
          'error',
          h.line,
          'Via says TLS on port 5060, the port for SIP without TLS; TLS is 5061',
          'RFC 3261 §19.1.2',
        );
      if (isPrivateAddress(v.host))
        add(
          'private-via',
          'warning',
          h.line,
          `Via sent-by ${v.host} is a private address; responses must come back on the connection`,
          'RFC 3261 §18.2.2',
        );
      const branch = viaBranch(v);
      if (branch !== undefined && !branch.startsWith(BRANCH_MAGIC_COOKIE)) {
        add(
          'branch-without-cookie',
          'warning',
          h.line,
          `branch ${branch} lacks the z9hG4bK magic cookie`,
          'RFC 3261 §8.1.1.7',
        );
      }
    }
  }

  // URIs that route requests: Request-URI, Contact, Route, Record-Route (RFC 3261 §26.2.2).
  const routing: Array<{ uri: Uri; line: number; what: string }> = [];
  if (m.kind === 'request' && p.requestUri) routing.push({ uri: p.requestUri, line: 1, what: 'the Request-URI' });
  for (const h of p.headers) {
    if (h.canonical === 'Contact' && Array.isArray(h.parsed))
      for (const a of h.parsed as NameAddress[]) routing.push({ uri: a.uri, line: h.line, what: 'Contact' });
    if (h.canonical === 'Route' || h.canonical === 'Record-Route')
      for (const a of h.parsed as NameAddress[]) routing.push({ uri: a.uri, line: h.line, what: h.canonical });
  }
  for (const r of routing) {
    if (r.uri.kind !== 'sip') continue;
    const transport = uriParam(r.uri, 'transport')?.toLowerCase();
    const tls = r.uri.scheme === 'sips' || transport === 'tls';
    if (!tls) {
      add(
        'sip-uri-without-tls',
        'error',
        r.line,
        `${r.what} is a sip: URI without transport=tls${transport ? ` (transport=${transport})` : ''}: requests to it will not use TLS; use sips: or add ;transport=tls`,
        'RFC 3261 §26.2.2',
      );
    }
    if (tls && r.uri.port === 5060)
      add(
        'tls-on-port-5060',
        'error',
        r.line,
        `${r.what} asks for TLS on port 5060; SIP over TLS uses 5061`,
        'RFC 3261 §19.1.2',
      );
    if (r.what === 'Contact' && isPrivateAddress(r.uri.host)) {
      add(
        'private-contact',
        'error',
        r.line,
        `Contact ${r.uri.host} is a private address the carrier cannot reach; advertise the public address (${carrier.customer.pbxIp} for ${carrier.customer.name})`,
        'RFC 1918 §3',
      );
    }
  }

  // The body: SDP with the media address, the profile and the SDES keys.
  const contentType = p.headers.find((h) => h.canonical === 'Content-Type')?.parsed;
  if (contentType === 'application/sdp' && m.body.length > 0) lintSdp(p, input, carrier, overTls, add);
  return findings;
}

function lintSdp(
  p: ParsedSipMessage,
  input: Uint8Array,
  carrier: CarrierProfile,
  overTls: boolean,
  add: (code: LintCode, severity: LintSeverity, line: number, message: string, spec: string) => void,
): void {
  const bodyStart = p.end - p.message.body.length;
  const lineOf = (offset: number) => {
    let n = 1;
    for (let i = p.start; i < offset; i++) if (input[i] === 0x0a) n++;
    return n;
  };
  const bodyLine = lineOf(bodyStart);
  let parsed;
  try {
    parsed = parseSdp(p.message.body, bodyStart);
  } catch (e) {
    if (!isSipParseError(e)) throw e;
    add('malformed-crypto', 'error', bodyLine + e.line - 1, `the SDP does not parse: ${e.reason}`, 'RFC 8866 §5');
    return;
  }
  const sd = parsed.sdp;
  const lineFields = parsed.fields[0].children as Field[];
  // Line numbers: the k-th SDP line is bodyLine + k; find SDP lines by their text.
  const sdpLines = lineFields.map((f) => f.value ?? '');
  const lineIndex = (type: string, value: string, from = 0) => {
    const k = sdpLines.findIndex(
      (v, i) => i >= from && lineFields[i].children?.[0]?.value === `${type}=` && v === value,
    );
    return bodyLine + Math.max(0, k);
  };
  let mIndex = -1;
  for (const media of sd.media) {
    mIndex = sdpLines.findIndex((_, i) => i > mIndex && lineFields[i].children?.[0]?.value === 'm=');
    const mLine = bodyLine + mIndex;
    if (media.port === 0) continue;
    const conn = mediaConnection(sd, media);
    if (conn && isPrivateAddress(conn.address)) {
      const own = media.lines.find((l) => l.type === 'c');
      add(
        'private-media-address',
        'error',
        own ? lineIndex('c', own.value, mIndex) : lineIndex('c', sd.session.find((l) => l.type === 'c')!.value),
        `c= ${conn.address} is a private address: the carrier's media cannot reach it (one-way or no audio)`,
        'RFC 8866 §5.7',
      );
    }
    if (media.media !== 'audio') continue;
    if (media.proto === 'RTP/AVP' && carrier.srtp.required) {
      add(
        'rtp-where-srtp-required',
        'error',
        mLine,
        `m=audio offers RTP/AVP (unencrypted); ${carrier.name} requires RTP/SAVP with a=crypto and answers 488`,
        'RFC 3711 §12',
      );
    }
    if (media.proto !== 'RTP/SAVP') continue;
    const cryptos = attributes(media.lines, 'crypto');
    if (cryptos.length === 0) {
      add(
        'missing-crypto',
        'error',
        mLine,
        'RTP/SAVP without any a=crypto line: there is no key to encrypt with',
        'RFC 4568 §7.1.1',
      );
      continue;
    }
    if (!overTls)
      add(
        'keys-over-plain-transport',
        'error',
        mLine,
        'this SDP carries SRTP keys but did not travel over TLS: anyone on the path can read them and decrypt the call',
        'RFC 4568 §8.1',
      );
    let acceptable = 0;
    for (const value of cryptos) {
      const line = lineIndex('a', `crypto:${value}`, mIndex);
      const c = parseCryptoAttribute(value);
      if ('error' in c) {
        add('malformed-crypto', 'error', line, `a=crypto: ${c.error}`, 'RFC 4568 §9');
        continue;
      }
      if (!isSrtpSuiteName(c.suite) || !carrier.srtp.suites.includes(c.suite)) {
        add(
          'suite-not-accepted',
          'warning',
          line,
          `${c.suite} is not among ${carrier.name}'s suites (${carrier.srtp.suites.join(', ')})`,
          'RFC 4568 §6.2',
        );
      }
      for (const k of c.keys) {
        if (k.mki && !carrier.srtp.acceptMki)
          add(
            'mki-not-accepted',
            'error',
            line,
            `MKI ${k.mki.value}:${k.mki.length}: ${carrier.name} does not accept an MKI; remove it`,
            'RFC 4568 §6.1',
          );
        if (k.lifetime !== undefined) {
          const n = lifetimePackets(k.lifetime);
          if (n > MAX_SRTP_LIFETIME)
            add(
              'lifetime-too-long',
              'error',
              line,
              `lifetime ${k.lifetime} exceeds the 2^48 packets SRTP allows`,
              'RFC 3711 §9.2',
            );
          else if (n > 2 ** 31)
            add(
              'lifetime-too-long',
              'warning',
              line,
              `lifetime ${k.lifetime} exceeds the 2^31 packets SRTCP allows`,
              'RFC 3711 §9.2',
            );
        }
      }
      for (const sp of c.sessionParams) {
        if (/^UN(ENCRYPTED_SRTP|ENCRYPTED_SRTCP|AUTHENTICATED_SRTP)$/.test(sp))
          add('protection-disabled', 'error', line, `${sp} switches SRTP protection off`, 'RFC 4568 §6.3');
      }
      if (!cryptoProblem(c, carrier.srtp)) acceptable++;
    }
    if (acceptable === 0)
      add(
        'no-acceptable-crypto',
        'error',
        mLine,
        `none of the a=crypto lines is acceptable to ${carrier.name}: the call would get 488 Not Acceptable Here`,
        'RFC 4568 §7.1.2',
      );
  }
}
