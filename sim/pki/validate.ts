/**
 * Certification path validation (RFC 5280 §6.1), the part of it TLS peers
 * rely on, with a trace a support engineer can follow:
 *
 * 1. Build the path from the presented leaf to a trust anchor, using the
 *    other presented certificates as intermediates (RFC 5280 §6.1; RFC 4158).
 *    Each link's signature is verified with the issuer's public key
 *    (§6.1.3 (a)(1)). No anchor reached: `unknown_issuer`, or `self_signed`
 *    when the leaf vouches for itself.
 * 2. Every certificate on the path must be within its validity period at
 *    the verifier's time (§6.1.3 (a)(2)): `expired`, `not_yet_valid`.
 *    When the verifier holds CRLs, no certificate below the anchor may be
 *    on a current CRL from its issuer (§6.1.3 (a)(3), §6.3; revocation.ts):
 *    `revoked`. A certificate no usable CRL covers passes as unknown, as
 *    most TLS stacks treat it (soft fail).
 * 3. Every issuing certificate must be a CA (basicConstraints cA, §4.2.1.9),
 *    within its pathLenConstraint (§6.1.4 (l)–(m)): `not_a_ca`; and if it has
 *    keyUsage, keyCertSign (§4.2.1.3, §6.1.4 (n)): `bad_key_usage`.
 * 4. The leaf's keyUsage and extendedKeyUsage must allow the purpose: a TLS
 *    server (id-kp-serverAuth) or client (id-kp-clientAuth) (RFC 5280
 *    §4.2.1.12; RFC 5246 §7.4.2; RFC 8446 §4.4.2.2): `bad_key_usage`.
 * 5. For a server, the host name the client meant must be in the leaf's
 *    subjectAltName (RFC 6125 §6, see host-name.ts): `name_mismatch`.
 *
 * Checks stop at the first failure: its reason code is the verdict, and its
 * sentence says what was compared. @peculiar/x509 parses and verifies
 * signatures; its chain builder is not used because it validates nothing.
 * Revocation is checked only against the CRLs given; OCSP is not spoken.
 */
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
} from '@peculiar/x509';
import type { KeyObject } from 'node:crypto';
import { readEcdsaSigValue } from '../crypto/ecdsa';
import { nativeCrypto } from '../crypto/native';
import { equalBytes } from '../wire/bytes';
import { certificateNames, parseCertificate, type CertificateNames } from './certificate';
import { matchHostName } from './host-name';
import { checkRevocation } from './revocation';

export type CertificateReason =
  | 'ok'
  | 'expired'
  | 'not_yet_valid'
  | 'unknown_issuer'
  | 'bad_signature'
  | 'name_mismatch'
  | 'not_a_ca'
  | 'bad_key_usage'
  | 'self_signed'
  | 'revoked';

export interface ValidationStep {
  check: string;
  result: 'pass' | 'fail';
  detail: string;
}

export interface ChainEntry {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  serial: string;
}

export interface ValidationResult {
  valid: boolean;
  reason: CertificateReason;
  detail: string;
  /** The path as built, leaf first, ending with the trust anchor when one was reached. */
  chain: ChainEntry[];
  trace: ValidationStep[];
}

export interface ValidationOptions {
  /** Trusted CA certificates (DER). */
  anchors: Uint8Array[];
  /** The verifier's time, ms since the epoch, from its Clock. */
  at: number;
  /** The host name or IP address the client meant to reach (server certificates). */
  host?: string;
  purpose: 'server' | 'client';
  /** CRLs the verifier holds (DER); without any, revocation is not checked. */
  crls?: Uint8Array[];
  /**
   * Who presents and who checks, for the sentences: e.g. `{ presenter: 'SBC', verifier: 'PBX' }`.
   * By default the roles of the purpose: a server's certificate is checked by the client.
   */
  names?: { presenter?: string; verifier?: string };
}

const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  any: '2.5.29.37.0',
} as const;

/** No real path is this long; a loop of cross-signed certificates must end. */
const MAX_PATH = 8;

/**
 * The most certificates read from a presented chain: a path of MAX_PATH and a
 * few more, since a sender may add certificates the verifier does not need
 * (RFC 8446 §4.4.2). Reading one costs milliseconds, so a longer list is
 * refused before any certificate in it is parsed.
 */
export const MAX_PRESENTED = MAX_PATH + 4;

/**
 * Certificates read only when the path needs them: the issuer of each link
 * is picked by the DER of its Name (RFC 5280 §4.1.2.4), which costs a walk of
 * a few bytes, and only the certificates taken onto the path are parsed.
 */
class CertificatePool {
  private readonly parsed = new Map<number, X509Certificate>();
  private readonly names: Array<CertificateNames | undefined>;

  constructor(
    readonly ders: Uint8Array[],
    private readonly what: (i: number) => string,
  ) {
    this.names = ders.map(certificateNames);
  }

  cert(i: number): X509Certificate {
    let c = this.parsed.get(i);
    if (!c) this.parsed.set(i, (c = parseCertificate(this.ders[i], this.what(i))));
    return c;
  }

  /** Indices (not in `used`) of the certificates whose subject is `der`'s issuer, in the order given. */
  issuersOf(der: Uint8Array, used: ReadonlySet<number> = new Set()): number[] {
    const issuer = certificateNames(der)?.issuer;
    const hits: number[] = [];
    this.ders.forEach((_, i) => {
      if (used.has(i)) return;
      const subject = this.names[i]?.subject;
      // A certificate whose outline cannot be walked is parsed, which says what is wrong with it.
      if (subject === undefined) this.cert(i);
      else if (issuer !== undefined && equalBytes(subject, issuer)) hits.push(i);
    });
    return hits;
  }
}

/**
 * Validates `presented` (DER, leaf first, as a TLS Certificate message
 * carries them) against `anchors`. Throws `ParseError` only when a
 * certificate the path needs cannot be read at all.
 */
export async function validateChain(presented: Uint8Array[], options: ValidationOptions): Promise<ValidationResult> {
  if (!Number.isFinite(options.at)) throw new RangeError(`validation time is not a number: ${options.at}`);
  const presenter = options.names?.presenter ?? (options.purpose === 'server' ? 'server' : 'client');
  const verifier = options.names?.verifier ?? (options.purpose === 'server' ? 'client' : 'server');
  const trace: ValidationStep[] = [];
  const path: X509Certificate[] = [];
  const finish = (reason: CertificateReason, detail: string): ValidationResult => ({
    valid: reason === 'ok',
    reason,
    detail,
    chain: path.map(chainEntry),
    trace,
  });
  const fail = (check: string, reason: CertificateReason, detail: string): ValidationResult => {
    trace.push({ check, result: 'fail', detail });
    return finish(reason, detail);
  };
  const pass = (check: string, detail: string) => trace.push({ check, result: 'pass', detail });

  if (presented.length === 0)
    return fail('certificate presented', 'unknown_issuer', `the ${presenter} presented no certificate`);
  if (presented.length > MAX_PRESENTED) {
    return fail(
      'certificate presented',
      'unknown_issuer',
      `the ${presenter} presented ${presented.length} certificates; a path is at most ${MAX_PATH} long, so no more than ${MAX_PRESENTED} are read, and none of these was`,
    );
  }
  const certs = new CertificatePool(presented, (i) => `presented certificate ${i + 1}`);
  const anchors = new CertificatePool(options.anchors, (i) => `trusted CA certificate ${i + 1}`);
  const leaf = { der: presented[0], cert: certs.cert(0) };
  pass(
    'certificate presented',
    `the ${presenter} presented ${presented.length} certificate${presented.length > 1 ? 's' : ''}, its own “${label(leaf.cert)}”${presented.length > 1 ? ' first' : ''}`,
  );

  // 1. Build the path upwards, verifying each link's signature as it is made.
  path.push(leaf.cert);
  const used = new Set<number>([0]);
  let current = leaf;
  let anchored = false;
  for (let depth = 0; depth < MAX_PATH && !anchored; depth++) {
    const who = depth === 0 ? `the ${presenter}’s certificate “${label(current.cert)}”` : `“${label(current.cert)}”`;
    if (options.anchors.some((der) => equalBytes(der, current.der))) {
      pass('trust anchor', `${who} is itself one of the ${verifier}’s trusted certificates`);
      anchored = true;
      break;
    }
    const trustedIssuers = anchors.issuersOf(current.der).map((i) => anchors.cert(i));
    let verifiedBy: X509Certificate | undefined;
    for (const a of trustedIssuers) {
      if (await signatureVerifies(current.cert, a)) verifiedBy = a;
    }
    if (verifiedBy) {
      pass(
        'signature',
        `${who} is signed by “${label(verifiedBy)}”: the ${algorithmName(current.cert)} signature verifies`,
      );
      pass('trust anchor', `“${label(verifiedBy)}” is among the ${verifier}’s trusted CAs`);
      path.push(verifiedBy);
      anchored = true;
      break;
    }
    const nextIndex = certs.issuersOf(current.der, used)[0];
    if (nextIndex !== undefined) {
      const next = { der: presented[nextIndex], cert: certs.cert(nextIndex) };
      if (!(await signatureVerifies(current.cert, next.cert))) {
        return fail(
          'signature',
          'bad_signature',
          `${who} names “${label(next.cert)}” as its issuer, but that CA’s signature on it does not verify: the certificate was altered or forged`,
        );
      }
      pass(
        'signature',
        `${who} is signed by “${label(next.cert)}” (sent in the chain): the ${algorithmName(current.cert)} signature verifies`,
      );
      used.add(nextIndex);
      path.push(next.cert);
      current = next;
      continue;
    }
    if (trustedIssuers.length > 0) {
      return fail(
        'signature',
        'bad_signature',
        `${who} claims to be issued by the trusted CA “${label(trustedIssuers[0])}”, but the signature does not verify with that CA’s key: it was altered or forged`,
      );
    }
    if (current.cert.subject === current.cert.issuer) {
      if (depth === 0) {
        return fail(
          'trust anchor',
          'self_signed',
          `${who} is self-signed: it vouches only for itself, and the ${verifier} does not trust it (it is not one of the ${verifier}’s trusted CAs)`,
        );
      }
      return fail(
        'trust anchor',
        'unknown_issuer',
        `the ${presenter}’s chain ends at the root “${label(current.cert)}”, which is not among the ${verifier}’s trusted CAs`,
      );
    }
    return fail(
      'issuer',
      'unknown_issuer',
      `${who} was issued by “${dnLabel(current.cert.issuer)}”, which is neither in the chain the ${presenter} sent nor among the ${verifier}’s trusted CAs` +
        (depth === 0 ? ` (if it is an intermediate CA, the ${presenter} must send it after its own certificate)` : ''),
    );
  }
  if (!anchored) {
    return fail('path', 'unknown_issuer', `no trusted CA was reached within ${MAX_PATH} certificates`);
  }
  pass('path', path.map((c, i) => `“${label(c)}”${i === path.length - 1 ? ' (trusted)' : ''}`).join(' ← issued by '));

  // 2. Validity periods, leaf first.
  const now = isoDate(options.at);
  for (const [i, c] of path.entries()) {
    const whose =
      i === 0
        ? `the ${presenter}’s certificate`
        : `the CA certificate “${label(c)}”${i === path.length - 1 ? ' (trusted)' : ` in the ${presenter}’s chain`}`;
    const from = c.notBefore.getTime();
    const until = c.notAfter.getTime();
    if (options.at > until) {
      return fail(
        'validity',
        'expired',
        `${whose} expired on ${dateOf(until, options.at)}; the ${verifier}’s clock says ${dateOf(options.at, until)}`,
      );
    }
    if (options.at < from) {
      return fail(
        'validity',
        'not_yet_valid',
        `${whose} is not valid until ${dateOf(from, options.at)}; the ${verifier}’s clock says ${dateOf(options.at, from)} (is a clock wrong?)`,
      );
    }
    pass('validity', `“${label(c)}” is valid from ${isoDate(from)} to ${isoDate(until)}; now is ${now}`);
  }

  // 2b. Revocation, for the certificates below the anchor, against the CRLs the verifier holds.
  if (options.crls?.length) {
    for (let i = 0; i + 1 < path.length; i++) {
      const r = await checkRevocation(path[i], path[i + 1], options.crls, options.at);
      if (r.status === 'revoked') return fail('revocation', 'revoked', r.detail);
      pass(
        'revocation',
        r.status === 'good' ? r.detail : `${r.detail}: status unknown, accepted (the check fails soft)`,
      );
    }
  }

  // 3. Every issuer is a CA allowed to issue this deep, with keyCertSign.
  const anchorIsLeaf = path.length === 1;
  for (let i = 1; i < path.length && !anchorIsLeaf; i++) {
    const c = path[i];
    const isAnchor = i === path.length - 1;
    const bc = c.getExtension(BasicConstraintsExtension);
    if (!bc || !bc.ca) {
      if (!bc && isAnchor) {
        pass('CA', `“${label(c)}” has no basicConstraints; accepted because it is a trusted root (X.509 v1 style)`);
      } else {
        return fail(
          'CA',
          'not_a_ca',
          `“${label(c)}” signed “${label(path[i - 1])}” but is not a CA (${bc ? 'basicConstraints CA:FALSE' : 'no basicConstraints'}): an end-entity certificate cannot issue others`,
        );
      }
    } else {
      // Intermediate CA certificates below this one, not counting the leaf (RFC 5280 §4.2.1.9).
      const below = i - 1;
      if (bc.pathLength !== undefined && below > bc.pathLength) {
        return fail(
          'CA',
          'not_a_ca',
          `“${label(c)}” has pathLenConstraint ${bc.pathLength}, allowing ${bc.pathLength} intermediate CA${bc.pathLength === 1 ? '' : 's'} below it, but the chain has ${below}`,
        );
      }
      pass(
        'CA',
        `“${label(c)}” is a CA (basicConstraints CA:TRUE${bc.pathLength !== undefined ? `, pathlen ${bc.pathLength}` : ''}); ${below} intermediate CA${below === 1 ? '' : 's'} below it`,
      );
    }
    const ku = c.getExtension(KeyUsagesExtension);
    if (ku && !(ku.usages & KeyUsageFlags.keyCertSign)) {
      return fail(
        'CA key usage',
        'bad_key_usage',
        `“${label(c)}” has keyUsage ${usageNames(ku.usages)}, without keyCertSign: it may not sign certificates`,
      );
    }
  }

  // 4. The leaf may be used for this purpose.
  const leafCert = path[0];
  const ku = leafCert.getExtension(KeyUsagesExtension);
  const wanted =
    options.purpose === 'server'
      ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment | KeyUsageFlags.keyAgreement
      : KeyUsageFlags.digitalSignature;
  if (ku && !(ku.usages & wanted)) {
    return fail(
      'key usage',
      'bad_key_usage',
      `the ${presenter}’s certificate has keyUsage ${usageNames(ku.usages)}; a TLS ${options.purpose} needs ${options.purpose === 'server' ? 'digitalSignature (or keyEncipherment for RSA key exchange)' : 'digitalSignature'}`,
    );
  }
  pass(
    'key usage',
    ku
      ? `keyUsage ${usageNames(ku.usages)} allows a TLS ${options.purpose}`
      : 'no keyUsage extension: any use is allowed',
  );
  const eku = leafCert.getExtension(ExtendedKeyUsageExtension);
  const purposeOid = options.purpose === 'server' ? EKU.serverAuth : EKU.clientAuth;
  const purposeName = options.purpose === 'server' ? 'serverAuth' : 'clientAuth';
  if (eku) {
    const usages = eku.usages.map(String);
    if (!usages.includes(purposeOid) && !usages.includes(EKU.any)) {
      return fail(
        'extended key usage',
        'bad_key_usage',
        `the ${presenter}’s certificate is for ${usages.map(ekuName).join(', ')} only; acting as a TLS ${options.purpose} needs ${purposeName}`,
      );
    }
    pass(
      'extended key usage',
      `extendedKeyUsage ${usages.map(ekuName).join(', ')} includes ${usages.includes(purposeOid) ? purposeName : 'anyExtendedKeyUsage'}`,
    );
  } else {
    pass('extended key usage', 'no extendedKeyUsage extension: any purpose is allowed (RFC 5280 §4.2.1.12)');
  }

  // 5. The name the client asked for.
  if (options.host !== undefined) {
    const m = matchHostName(leafCert, options.host);
    if (!m.matched) {
      return fail(
        'host name',
        'name_mismatch',
        `the ${verifier} asked for ${options.host}, but the ${presenter}’s certificate is for another name: ${m.detail}`,
      );
    }
    pass('host name', m.detail);
  } else {
    pass('host name', 'no host name was given, so none was compared');
  }

  const detail =
    `the ${presenter}’s certificate “${label(leafCert)}” ` +
    (anchorIsLeaf ? 'is itself trusted' : `chains to the trusted CA “${label(path[path.length - 1])}”`) +
    (options.host !== undefined ? `, names ${options.host},` : '') +
    ` and is valid on ${now}`;
  return finish('ok', detail);
}

/** Each issuer's public key as a WebCrypto key, imported once per signature algorithm. */
const verifyKeys = new WeakMap<X509Certificate, Map<string, Promise<CryptoKey>>>();

async function signatureVerifies(subject: X509Certificate, issuer: X509Certificate): Promise<boolean> {
  // The library reads an ECDSA signature leniently (a SEQUENCE length one short still verifies); hold it to DER.
  if (subject.signatureAlgorithm.name === 'ECDSA' && !readEcdsaSigValue(new Uint8Array(subject.signature)))
    return false;
  const native = nativeSignatureVerifies(subject, issuer);
  if (native !== undefined) return native;
  try {
    const algorithm = { ...issuer.publicKey.algorithm, ...subject.signatureAlgorithm };
    let keys = verifyKeys.get(issuer);
    if (!keys) verifyKeys.set(issuer, (keys = new Map()));
    const id = JSON.stringify(algorithm);
    let key = keys.get(id);
    if (!key) keys.set(id, (key = issuer.publicKey.export(algorithm, ['verify'])));
    return await subject.verify({ publicKey: await key, signatureOnly: true });
  } catch {
    // An unsupported algorithm or a malformed key or signature cannot verify.
    return false;
  }
}

function chainEntry(c: X509Certificate): ChainEntry {
  return {
    subject: c.subject,
    issuer: c.issuer,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    serial: c.serialNumber,
  };
}

/** The Common Name when there is one (what people call a certificate), else the whole subject. */
function label(c: X509Certificate): string {
  return c.subjectName.getField('CN')[0] ?? c.subject;
}

function dnLabel(dn: string): string {
  const cn = /(?:^|,\s*)CN=((?:\\.|[^,])+)/.exec(dn);
  return cn ? cn[1] : dn;
}

function algorithmName(c: X509Certificate): string {
  const a = c.signatureAlgorithm as { name: string; hash?: { name: string } };
  return a.hash ? `${a.name} with ${a.hash.name}` : a.name;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A date, with the time of day when the other date falls on the same day (so the sentence still explains). */
function dateOf(ms: number, other: number): string {
  const iso = new Date(ms).toISOString();
  return isoDate(ms) === isoDate(other) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso.slice(0, 10);
}

function usageNames(usages: number): string {
  const names = Object.entries(KeyUsageFlags)
    .filter(([, v]) => typeof v === 'number' && usages & v)
    .map(([k]) => k);
  return names.length ? names.join(', ') : '(none)';
}

function ekuName(oid: string): string {
  const names: Record<string, string> = {
    '1.3.6.1.5.5.7.3.1': 'serverAuth',
    '1.3.6.1.5.5.7.3.2': 'clientAuth',
    '1.3.6.1.5.5.7.3.3': 'codeSigning',
    '1.3.6.1.5.5.7.3.4': 'emailProtection',
    '1.3.6.1.5.5.7.3.8': 'timeStamping',
    '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
    '2.5.29.37.0': 'anyExtendedKeyUsage',
  };
  return names[oid] ?? oid;
}

/** Each issuer's public key as a node:crypto key, read once from its SubjectPublicKeyInfo. */
const nativeKeys = new WeakMap<X509Certificate, KeyObject | null>();

/** The node:crypto names of the signature hashes certificates use. */
const NATIVE_HASH: Record<string, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/**
 * The signature check by node:crypto when the engine runs in Node
 * (crypto/native.ts): the issuer's key over the subject's tbsCertificate
 * (RFC 5280 §4.1.1.3), for ECDSA and RSASSA-PKCS1-v1_5 with a key of the
 * matching type. Undefined for anything else, which the WebCrypto path decides.
 */
function nativeSignatureVerifies(subject: X509Certificate, issuer: X509Certificate): boolean | undefined {
  const native = nativeCrypto();
  const { name, hash } = subject.signatureAlgorithm;
  const hashName = NATIVE_HASH[hash?.name ?? ''];
  if (!native || !hashName || (name !== 'ECDSA' && name !== 'RSASSA-PKCS1-v1_5')) return undefined;
  let key = nativeKeys.get(issuer);
  if (key === undefined) {
    try {
      key = native.createPublicKey({
        key: new Uint8Array(issuer.publicKey.rawData) as never,
        format: 'der',
        type: 'spki',
      });
    } catch {
      key = null;
    }
    nativeKeys.set(issuer, key);
  }
  if (!key || key.asymmetricKeyType !== (name === 'ECDSA' ? 'ec' : 'rsa')) return undefined;
  try {
    return native.verify(
      hashName,
      tbsCertificate(new Uint8Array(subject.rawData)),
      key,
      new Uint8Array(subject.signature),
    );
  } catch {
    return false;
  }
}

/**
 * The DER of the tbsCertificate inside a certificate (RFC 5280 §4.1): the
 * first element of the outer SEQUENCE, whose bytes are what the issuer signed.
 * The certificate has already been read as exact DER (certificate.ts).
 */
function tbsCertificate(der: Uint8Array): Uint8Array {
  const headerLength = (at: number) => (der[at + 1] < 0x80 ? 2 : 2 + (der[at + 1] & 0x7f));
  const contentLength = (at: number) => {
    if (der[at + 1] < 0x80) return der[at + 1];
    let n = 0;
    for (let i = 0; i < (der[at + 1] & 0x7f); i++) n = n * 256 + der[at + 2 + i];
    return n;
  };
  const start = headerLength(0);
  return der.subarray(start, start + headerLength(start) + contentLength(start));
}
