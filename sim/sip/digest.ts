/**
 * HTTP Digest authentication as SIP uses it (RFC 3261 §22.4): RFC 2617 with
 * MD5 and RFC 7616 with SHA-256, qop=auth.
 *
 *   HA1      = H(username ":" realm ":" password)            RFC 7616 §3.4.2
 *   HA2      = H(method ":" digest-uri)                       RFC 7616 §3.4.3
 *   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)   RFC 7616 §3.4.1
 *   (without qop, RFC 2069 style: H(HA1 ":" nonce ":" HA2), RFC 2617 §3.2.2.1)
 *
 * The password never crosses the wire; the server, which knows it (or HA1),
 * computes the same response and compares. A fresh nonce per challenge keeps
 * a captured response from being replayed.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../wire/bytes';
import { authParams } from './header-grammar';
import { Scanner, binaryText } from './scanner';
import { quote } from './address';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  qop?: 'auth';
  opaque?: string;
  /** The nonce expired but the credentials were right: retry without asking the user (RFC 7616 §3.3). */
  stale?: boolean;
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: 'auth';
  /** Nonce count, 8 hex digits (RFC 7616 §3.4). */
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

function h(algorithm: DigestAlgorithm, text: string): string {
  return toHex((algorithm === 'MD5' ? md5 : sha256)(utf8(text)));
}

/** The request-digest (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1). */
export function digestResponse(i: DigestInput): string {
  const ha1 = h(i.algorithm, `${i.username}:${i.realm}:${i.password}`);
  const ha2 = h(i.algorithm, `${i.method}:${i.uri}`);
  if (i.qop === 'auth') {
    if (!i.nc || !i.cnonce) throw new TypeError('qop=auth needs nc and cnonce');
    return h(i.algorithm, `${ha1}:${i.nonce}:${i.nc}:${i.cnonce}:auth:${ha2}`);
  }
  return h(i.algorithm, `${ha1}:${i.nonce}:${ha2}`);
}

/** WWW-Authenticate value (RFC 7616 §3.3; RFC 3261 §22.4 keeps the quoting of RFC 2617). */
export function formatChallenge(c: DigestChallenge): string {
  const parts = [`realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`, `algorithm=${c.algorithm}`];
  if (c.qop) parts.push(`qop="${c.qop}"`);
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (c.stale) parts.push('stale=TRUE');
  return `Digest ${parts.join(', ')}`;
}

/** Authorization value (RFC 7616 §3.4; qop and nc are tokens, the rest quoted). */
export function formatCredentials(c: DigestCredentials): string {
  const parts = [
    `username=${quote(c.username)}`,
    `realm=${quote(c.realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(c.uri)}`,
    `response=${quote(c.response)}`,
    `algorithm=${c.algorithm}`,
  ];
  if (c.qop) parts.push(`qop=${c.qop}`, `nc=${c.nc}`, `cnonce=${quote(c.cnonce ?? '')}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Scheme and parameters of a WWW-Authenticate or Authorization value; undefined if it does not parse. */
export function parseAuthHeader(value: string): { scheme: string; params: Record<string, string> } | undefined {
  const text = binaryText(value);
  const sc = new Scanner(text, 0, text.length, { lineAt: () => 1, where: 'Authorization' });
  try {
    return authParams(sc);
  } catch {
    return undefined;
  }
}

function algorithmOf(text: string | undefined): DigestAlgorithm | undefined {
  if (text === undefined || text.toUpperCase() === 'MD5') return 'MD5'; // RFC 2617 §3.2.1: MD5 when absent
  if (text.toUpperCase() === 'SHA-256') return 'SHA-256';
  return undefined;
}

export function parseChallenge(value: string): DigestChallenge | undefined {
  const a = parseAuthHeader(value);
  if (!a || a.scheme.toLowerCase() !== 'digest' || !a.params.realm || !a.params.nonce) return undefined;
  const algorithm = algorithmOf(a.params.algorithm);
  if (!algorithm) return undefined;
  const qops = (a.params.qop ?? '').split(',').map((q) => q.trim());
  return {
    realm: a.params.realm,
    nonce: a.params.nonce,
    algorithm,
    ...(qops.includes('auth') ? { qop: 'auth' as const } : {}),
    ...(a.params.opaque !== undefined ? { opaque: a.params.opaque } : {}),
    ...(a.params.stale?.toLowerCase() === 'true' ? { stale: true } : {}),
  };
}

export function parseCredentials(value: string): DigestCredentials | undefined {
  const a = parseAuthHeader(value);
  if (!a || a.scheme.toLowerCase() !== 'digest') return undefined;
  const p = a.params;
  const algorithm = algorithmOf(p.algorithm);
  if (!algorithm || !p.username || !p.realm || !p.nonce || !p.uri || !p.response) return undefined;
  if (p.qop !== undefined && (p.qop !== 'auth' || !/^[0-9a-fA-F]{8}$/.test(p.nc ?? '') || !p.cnonce)) return undefined;
  return {
    username: p.username,
    realm: p.realm,
    nonce: p.nonce,
    uri: p.uri,
    response: p.response.toLowerCase(),
    algorithm,
    ...(p.qop ? { qop: 'auth' as const, nc: p.nc, cnonce: p.cnonce } : {}),
    ...(p.opaque !== undefined ? { opaque: p.opaque } : {}),
  };
}

/** Builds credentials for a challenge (the client side, RFC 7616 §3.4). */
export function answerChallenge(
  c: DigestChallenge,
  who: { username: string; password: string },
  request: { method: string; uri: string },
  cnonce: string,
  nonceCount: number,
): DigestCredentials {
  const nc = nonceCount.toString(16).padStart(8, '0');
  const input: DigestInput = {
    algorithm: c.algorithm,
    username: who.username,
    realm: c.realm,
    password: who.password,
    method: request.method,
    uri: request.uri,
    nonce: c.nonce,
    ...(c.qop ? { qop: c.qop, nc, cnonce } : {}),
  };
  return {
    username: who.username,
    realm: c.realm,
    nonce: c.nonce,
    uri: request.uri,
    response: digestResponse(input),
    algorithm: c.algorithm,
    ...(c.qop ? { qop: c.qop, nc, cnonce } : {}),
    ...(c.opaque !== undefined ? { opaque: c.opaque } : {}),
  };
}
