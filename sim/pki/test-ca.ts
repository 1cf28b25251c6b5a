/**
 * A carrier-style test PKI for a rehearsal bench, made with real randomness
 * (unlike the seeded cast of the simulated runs, cast.ts):
 *
 * 1. A root CA, self-signed, path length 1 (RFC 5280 §4.2.1.9): the one
 *    certificate the PBX trusts for the trunk.
 * 2. An issuing CA under it, path length 0, which signs everything else, as
 *    a carrier's trunk CA does.
 * 3. The SBC's certificate from the issuing CA, for the names the PBX will
 *    connect to: a host name as a dNSName, an address as an iPAddress
 *    (RFC 5280 §4.2.1.6), extendedKeyUsage serverAuth (§4.2.1.12).
 * 4. On request, a PBX's certificate from its CSR (certificate-request.ts
 *    checks it first): the request's subject and names, the request's key,
 *    extendedKeyUsage clientAuth (or serverAuth, or both, for a PBX that
 *    also receives calls over TLS).
 *
 * Keys are ECDSA P-256, made and exported (PKCS #8, RFC 5208) by the
 * platform's WebCrypto; certificates are signed with ECDSA-SHA256.
 */
import {
  ExtendedKeyUsage,
  KeyUsageFlags,
  type X509Certificate,
  X509CertificateGenerator,
  type Extension,
} from '@peculiar/x509';
import type { CarrierProfile } from '../carrier';
import type { RandomSource } from '../crypto/random';
import {
  caExtensions,
  distinguishedName,
  issueCertificate,
  leafExtensions,
  serialNumber,
  type Issuer,
  type SubjectName,
} from './certificate-profile';
import type { CheckedRequest } from './certificate-request';
import { parseCertificate } from './certificate';
import { parsePrivateKeyPem } from './keys';
import { readPemBlocks, toPem } from './pem';

const DAY = 86_400_000;
/** Certificates start an hour back, so a PBX whose clock is a little behind still finds them valid. */
const CLOCK_SLACK = 3_600_000;
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** What a certificate is for: TLS client (the PBX calling out), server, or both. */
export type CertificatePurpose = 'client' | 'server' | 'both';

/** One certificate and its key, as PEM text. */
export interface PemCredential {
  certificate: string;
  key: string;
}

export interface TestPki {
  root: PemCredential;
  issuing: PemCredential;
  /** The SBC's certificate followed by the issuing CA's, and its key. */
  sbc: PemCredential;
  sbcNames: SubjectName[];
}

/** The issuing CA, ready to sign. */
export interface IssuingCa {
  certificate: X509Certificate;
  issuer: Issuer;
}

export async function createTestPki(options: {
  carrier: CarrierProfile;
  sbcNames: readonly SubjectName[];
  now: number;
  random: RandomSource;
}): Promise<TestPki> {
  const { carrier, now, random } = options;
  const subtle = globalThis.crypto.subtle;
  const newPair = () => subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const [rootPair, issuingPair, sbcPair] = await Promise.all([newPair(), newPair(), newPair()]);
  const organization = carrier.name;
  const rootName = distinguishedName(`${carrier.ca.rootName} (test)`, organization);
  const root = await X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(random),
    name: rootName,
    notBefore: new Date(now - CLOCK_SLACK),
    notAfter: new Date(now + 10 * 365 * DAY),
    keys: rootPair,
    signingAlgorithm: ECDSA_SHA256,
    extensions: caExtensions(1),
  });
  const issuing = await issueCertificate(
    { name: root.subjectName, pair: rootPair, signingAlgorithm: ECDSA_SHA256 },
    {
      name: distinguishedName(`${carrier.ca.intermediateName} (test)`, organization),
      publicKey: issuingPair.publicKey,
    },
    { notBefore: now - CLOCK_SLACK, notAfter: now + 5 * 365 * DAY, serial: serialNumber(random) },
    caExtensions(0),
    globalThis.crypto,
  );
  const issuingCertificate = parseCertificate(issuing);
  const ca: IssuingCa = {
    certificate: issuingCertificate,
    issuer: { name: issuingCertificate.subjectName, pair: issuingPair, signingAlgorithm: ECDSA_SHA256 },
  };
  const first = options.sbcNames[0];
  if (!first) throw new RangeError('the SBC certificate needs at least one name');
  const sbc = await issueLeaf(
    ca,
    { name: distinguishedName(first.value, organization), publicKey: sbcPair.publicKey },
    options.sbcNames,
    { purpose: 'server', rsa: false, now, days: 365, random },
  );
  return {
    root: { certificate: toPem('CERTIFICATE', new Uint8Array(root.rawData)), key: await keyPem(rootPair) },
    issuing: { certificate: toPem('CERTIFICATE', issuing), key: await keyPem(issuingPair) },
    sbc: { certificate: toPem('CERTIFICATE', sbc) + toPem('CERTIFICATE', issuing), key: await keyPem(sbcPair) },
    sbcNames: [...options.sbcNames],
  };
}

/** The issuing CA from its certificate and key (PEM), checking that they belong together. */
export async function loadIssuingCa(certificate: Uint8Array, keyPem: string): Promise<IssuingCa> {
  const key = parsePrivateKeyPem(keyPem);
  if (key.kind !== 'ecdsa-p256')
    throw new RangeError('the issuing CA’s key is not the ECDSA P-256 key `ca init` makes');
  const parsed = parseCertificate(certificate);
  const publicKey = await parsed.publicKey.export(ECDSA_P256, ['verify']);
  const raw = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', publicKey));
  if (raw.length !== key.publicKey.length || raw.some((b, i) => b !== key.publicKey[i])) {
    throw new RangeError('the issuing CA’s key does not belong to its certificate');
  }
  const der = pkcs8Of(keyPem);
  const privateKey = await globalThis.crypto.subtle.importKey('pkcs8', new Uint8Array(der), ECDSA_P256, false, [
    'sign',
  ]);
  return {
    certificate: parsed,
    issuer: { name: parsed.subjectName, pair: { privateKey, publicKey }, signingAlgorithm: ECDSA_SHA256 },
  };
}

/** The PBX's certificate from its checked request: its subject, its names and its key. */
export async function issueFromRequest(
  ca: IssuingCa,
  request: CheckedRequest,
  options: { purpose: CertificatePurpose; now: number; days: number; random: RandomSource },
): Promise<Uint8Array> {
  return issueLeaf(ca, { name: request.request.subjectName, publicKey: request.request.publicKey }, request.names, {
    ...options,
    rsa: request.key.kind === 'rsa',
  });
}

async function issueLeaf(
  ca: IssuingCa,
  subject: Parameters<typeof issueCertificate>[1],
  names: readonly SubjectName[],
  options: { purpose: CertificatePurpose; rsa: boolean; now: number; days: number; random: RandomSource },
): Promise<Uint8Array> {
  const { purpose } = options;
  const purposes = [
    ...(purpose !== 'client' ? [ExtendedKeyUsage.serverAuth] : []),
    ...(purpose !== 'server' ? [ExtendedKeyUsage.clientAuth] : []),
  ];
  // An RSA key in a server certificate may also decrypt a TLS 1.2 premaster secret (RFC 5246 §7.4.7.1).
  const usage =
    KeyUsageFlags.digitalSignature | (options.rsa && purpose !== 'client' ? KeyUsageFlags.keyEncipherment : 0);
  const extensions: Extension[] = leafExtensions(names, usage, purposes);
  return issueCertificate(
    ca.issuer,
    subject,
    {
      notBefore: options.now - CLOCK_SLACK,
      notAfter: options.now + options.days * DAY,
      serial: serialNumber(options.random),
    },
    extensions,
    globalThis.crypto,
  );
}

async function keyPem(pair: CryptoKeyPair): Promise<string> {
  return toPem('PRIVATE KEY', new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey)));
}

/** The PKCS #8 DER of a key in PEM (a SEC 1 `EC PRIVATE KEY` is refused: `ca init` writes PKCS #8). */
function pkcs8Of(keyPem: string): Uint8Array {
  const block = readPemBlocks(keyPem).find((b) => b.label === 'PRIVATE KEY');
  if (!block) throw new RangeError('the issuing CA’s key is not a PKCS #8 PRIVATE KEY block');
  return block.der;
}
