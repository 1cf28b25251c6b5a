/**
 * What a carrier's certificates carry, shared by the seeded cast of the
 * simulated runs (cast.ts) and the live test CA of `trunklab ca` (test-ca.ts):
 *
 * - names: organization, then common name (RFC 5280 §4.1.2.4, §4.1.2.6);
 * - serial numbers: 16 random bytes, positive (RFC 5280 §4.1.2.2);
 * - a CA's extensions: basicConstraints cA with its path length, keyUsage
 *   keyCertSign and cRLSign, both critical (RFC 5280 §4.2.1.9, §4.2.1.3);
 * - an end entity's: basicConstraints not a CA, keyUsage, extendedKeyUsage
 *   serverAuth or clientAuth (§4.2.1.12), and its names in subjectAltName,
 *   a host name as a dNSName and an address as an iPAddress (§4.2.1.6);
 * - every issued certificate's subject and authority key identifiers
 *   (§4.2.1.2, §4.2.1.1), which path builders use to find the issuer.
 */
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  type Extension,
  type JsonName,
  KeyUsagesExtension,
  KeyUsageFlags,
  type PublicKey as X509PublicKey,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
  type Name as X509Name,
} from '@peculiar/x509';
import type { RandomSource } from '../crypto/random';
import { toHex } from '../wire/bytes';
import { parseIpAddress } from './host-name';

/** A name a certificate is issued for, as subjectAltName carries it. */
export interface SubjectName {
  type: 'dns' | 'ip';
  value: string;
}

/** A distinguished name: organization, then common name (RFC 5280 §4.1.2.4). */
export function distinguishedName(commonName: string, organization: string): JsonName {
  return [{ O: [organization] }, { CN: [commonName] }];
}

/** A positive 16-byte serial number (RFC 5280 §4.1.2.2: at most 20 bytes, unique per CA). */
export function serialNumber(random: RandomSource): string {
  const bytes = random.bytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return toHex(bytes);
}

/** A host name or an IP address as the subjectAltName entry of its kind (RFC 5280 §4.2.1.6). */
export function subjectName(text: string): SubjectName {
  return parseIpAddress(text) ? { type: 'ip', value: text } : { type: 'dns', value: text };
}

/** A CA certificate's extensions: cA, the path length below it, and certificate signing only. */
export function caExtensions(pathLength: number | undefined): Extension[] {
  return [
    new BasicConstraintsExtension(true, pathLength, true),
    new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
  ];
}

/** An end-entity certificate's extensions (RFC 5280 §4.2.1.3, §4.2.1.6, §4.2.1.9, §4.2.1.12). */
export function leafExtensions(names: readonly SubjectName[], usage: number, purposes: string[]): Extension[] {
  return [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(usage, true),
    new ExtendedKeyUsageExtension(purposes, false),
    new SubjectAlternativeNameExtension(names.map((n) => ({ type: n.type, value: n.value }))),
  ];
}

export interface Issuer {
  /** The issuer's subject: a live CA passes its certificate's own Name, so the bytes match (RFC 5280 §4.1.2.4). */
  name: JsonName | X509Name;
  pair: CryptoKeyPair;
  signingAlgorithm: Algorithm & { hash: string };
}

/**
 * A certificate signed by `issuer` for `subject`, with the key identifiers
 * added after the given extensions; `crypto` signs (the seeded cast passes
 * its deterministic provider, the live CA the platform's).
 */
export async function issueCertificate(
  issuer: Issuer,
  subject: { name: JsonName | X509Name; publicKey: CryptoKey | X509PublicKey },
  validity: { notBefore: number; notAfter: number; serial: string },
  extensions: Extension[],
  crypto: Crypto,
): Promise<Uint8Array> {
  const certificate = await X509CertificateGenerator.create(
    {
      serialNumber: validity.serial,
      subject: subject.name,
      issuer: issuer.name,
      publicKey: subject.publicKey,
      signingKey: issuer.pair.privateKey,
      signingAlgorithm: issuer.signingAlgorithm,
      notBefore: new Date(validity.notBefore),
      notAfter: new Date(validity.notAfter),
      extensions: [
        ...extensions,
        await SubjectKeyIdentifierExtension.create(subject.publicKey, false, crypto),
        await AuthorityKeyIdentifierExtension.create(issuer.pair.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return new Uint8Array(certificate.rawData);
}
