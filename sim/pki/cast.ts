/**
 * The cast of the trust story: every key and certificate a scenario needs,
 * issued for real at the scenario's time, reproducible from its seed.
 *
 * - The carrier's root CA (self-signed, pathlen 1) and its issuing
 *   intermediate (pathlen 0) (RFC 5280 §4.2.1.9). The root is the one trust
 *   anchor both the PBX and the SBC are configured with.
 * - The SBC's certificate: subjectAltName = the SBC's host name and address
 *   from the carrier profile (RFC 5280 §4.2.1.6), extendedKeyUsage serverAuth.
 * - The PBX's key pair and its certificate request (PKCS #10, RFC 2986),
 *   which the intermediate checks and signs into the PBX's client
 *   certificate (extendedKeyUsage clientAuth).
 * - The attacker's certificates, each failing validation for one reason:
 *   self-signed, issued by another CA, issued (genuinely) for another name,
 *   expired, not yet valid; and a byte-for-byte copy of the SBC's certificate,
 *   which validates but whose private key the attacker does not have, so the
 *   handshake fails at CertificateVerify (RFC 8446 §4.4.3) instead.
 *
 * Keys: ECDSA P-256 keys are derived from the seed; RSA-2048 keys are the
 * shipped demo keys (fixtures/README.md). Certificates are signed through
 * `deterministicCrypto`, so the same seed, time and profile give the same bytes.
 *
 * Use:
 *
 *   const cast = await buildCast({ carrier, random: drbg, at: clock.now() });
 *   // SBC (TLS server): presents cast.sbc.chain, signs with cast.sbc.privateKey, trusts cast.anchors.
 *   // PBX (TLS client): presents cast.pbx.chain, signs with cast.pbx.privateKey, trusts cast.anchors.
 *   // Attacker: presents e.g. cast.attacker.expired.chain with cast.attacker.expired.privateKey.
 */
import {
  ExtendedKeyUsage,
  type Extension,
  type JsonName,
  KeyUsageFlags,
  Pkcs10CertificateRequest,
  Pkcs10CertificateRequestGenerator,
  type PublicKey as X509PublicKey,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { p256 } from '@noble/curves/nist.js';
import type { CarrierProfile } from '../carrier';
import type { RandomSource } from '../crypto/random';
import { cryptoKeyPair, deterministicCrypto, signingAlgorithm } from './deterministic-crypto';
import {
  caExtensions,
  distinguishedName as dn,
  issueCertificate,
  leafExtensions,
  serialNumber,
  type SubjectName,
} from './certificate-profile';
import { DEMO_RSA_KEYS, type DemoRsaRole } from './fixtures/demo-rsa-keys';
import { parsePrivateKeyPem, type PrivateKey } from './keys';

export type CastKeyType = 'ecdsa-p256' | 'rsa-2048';

export interface CastOptions {
  carrier: CarrierProfile;
  /** The run's generator; the cast forks its own streams from it (`pki …`). */
  random: RandomSource;
  /** The scenario's start, ms since the epoch: validity periods are placed around it. */
  at: number;
  /** Default `ecdsa-p256`. */
  keyType?: CastKeyType;
}

/** What a party presents in TLS and the key it proves possession with. */
export interface Credential {
  /** DER, leaf first, as the TLS Certificate message carries them (without the root). */
  chain: Uint8Array[];
  privateKey: PrivateKey;
}

export interface Cast {
  keyType: CastKeyType;
  /** The carrier's root CA certificate: what the PBX and the SBC trust. */
  anchors: Uint8Array[];
  root: { certificate: Uint8Array; privateKey: PrivateKey };
  intermediate: { certificate: Uint8Array; privateKey: PrivateKey };
  sbc: Credential;
  pbx: Credential & {
    /** The PKCS #10 request the PBX sent to the carrier (DER). */
    csr: Uint8Array;
  };
  attacker: {
    privateKey: PrivateKey;
    /** For the SBC's name, signed by its own key. Fails `self_signed`. */
    selfSigned: Credential;
    /** For the SBC's name, from a CA the PBX does not trust. Fails `unknown_issuer`. */
    otherCa: Credential & { root: Uint8Array };
    /** Genuinely issued by the carrier's CA, to the attacker's own host name. Fails `name_mismatch` as a server. */
    otherName: Credential;
    /** For the SBC's name from the carrier's CA, expired a month before `at`. Fails `expired`. */
    expired: Credential;
    /** For the SBC's name from the carrier's CA, valid from a month after `at`. Fails `not_yet_valid`. */
    notYetValid: Credential;
    /** The real SBC chain, copied off the wire; `privateKey` is the attacker's own, which does not match. */
    copiedSbc: Credential;
  };
}

const DAY = 86_400_000;

/** The fictional CA the attacker runs, and the host name it holds a genuine certificate for. */
export const ATTACKER_CA_NAME = 'Brackenfold Trust Services Root CA';
export const ATTACKER_HOST = 'relay.brackenfold.example';

/** Builds the cast. Deterministic in (profile, seed, at, keyType). */
export async function buildCast(options: CastOptions): Promise<Cast> {
  const { carrier, at } = options;
  const keyType = options.keyType ?? 'ecdsa-p256';
  const random = options.random.fork(`pki ${keyType}`);
  const key = (role: DemoRsaRole): PrivateKey =>
    keyType === 'rsa-2048' ? parsePrivateKeyPem(DEMO_RSA_KEYS[role]) : ecdsaKey(random.fork(`key ${role}`));
  const serial = () => serialNumber(random);
  const keys = {
    root: key('root'),
    intermediate: key('intermediate'),
    sbc: key('sbc'),
    pbx: key('pbx'),
    attacker: key('attacker'),
    otherCa: key('otherCa'),
  };
  const pairs = Object.fromEntries(
    await Promise.all(Object.entries(keys).map(async ([role, k]) => [role, await cryptoKeyPair(k)] as const)),
  ) as Record<keyof typeof keys, CryptoKeyPair>;

  const carrierOrg = carrier.name;
  const rootName = dn(carrier.ca.rootName, carrierOrg);
  const intermediateName = dn(carrier.ca.intermediateName, carrierOrg);
  const sbcName = dn(carrier.sbc.host, carrierOrg);
  const serverUsage =
    keyType === 'rsa-2048'
      ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment // RSA key exchange encrypts to the key (RFC 5246 §7.4.7.1)
      : KeyUsageFlags.digitalSignature;

  const root = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: rootName,
      notBefore: new Date(at - 5 * 365 * DAY),
      notAfter: new Date(at + 15 * 365 * DAY),
      keys: pairs.root,
      signingAlgorithm: signingAlgorithm(keys.root),
      extensions: [
        ...caExtensions(1),
        await SubjectKeyIdentifierExtension.create(pairs.root.publicKey, false, deterministicCrypto),
      ],
    },
    deterministicCrypto,
  );

  /** Issues a certificate from `issuer` (name, key pair, algorithm). */
  const issue = (
    issuer: { name: JsonName; pair: CryptoKeyPair; key: PrivateKey },
    subject: { name: JsonName; publicKey: CryptoKey | X509PublicKey },
    notBefore: number,
    notAfter: number,
    extensions: Extension[],
  ) =>
    issueCertificate(
      { name: issuer.name, pair: issuer.pair, signingAlgorithm: signingAlgorithm(issuer.key) },
      subject,
      { notBefore, notAfter, serial: serial() },
      extensions,
      deterministicCrypto,
    );

  const carrierRoot = { name: rootName, pair: pairs.root, key: keys.root };
  const intermediate = await issue(
    carrierRoot,
    { name: intermediateName, publicKey: pairs.intermediate.publicKey },
    at - 2 * 365 * DAY,
    at + 8 * 365 * DAY,
    caExtensions(0),
  );
  const carrierCa = { name: intermediateName, pair: pairs.intermediate, key: keys.intermediate };

  const sbcNames: SubjectName[] = [
    { type: 'dns', value: carrier.sbc.host },
    { type: 'ip', value: carrier.sbc.ip },
  ];
  const sbc = await issue(
    carrierCa,
    { name: sbcName, publicKey: pairs.sbc.publicKey },
    at - 30 * DAY,
    at + 365 * DAY,
    leafExtensions(sbcNames, serverUsage, [ExtendedKeyUsage.serverAuth]),
  );

  // The PBX asks for its certificate with a PKCS #10 request (RFC 2986 §4), naming itself in
  // the request's extensionRequest attribute (RFC 2985 §5.4.2).
  const pbxName = dn(carrier.customer.pbxHost, carrier.customer.name);
  const csr = await Pkcs10CertificateRequestGenerator.create(
    {
      name: pbxName,
      keys: pairs.pbx,
      signingAlgorithm: signingAlgorithm(keys.pbx),
      extensions: [new SubjectAlternativeNameExtension([{ type: 'dns', value: carrier.customer.pbxHost }])],
    },
    deterministicCrypto,
  );
  const pbx = await signRequest(csr, async (request) =>
    issue(carrierCa, { name: pbxName, publicKey: request.publicKey }, at - DAY, at + 365 * DAY, [
      ...leafExtensions([{ type: 'dns', value: carrier.customer.pbxHost }], KeyUsageFlags.digitalSignature, [
        ExtendedKeyUsage.clientAuth,
      ]),
    ]),
  );

  // The attacker: every certificate for the SBC's name but one, usable for either TLS role.
  const attackerPurposes = [ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth];
  const attackerUsage = serverUsage;
  const impersonation = leafExtensions(sbcNames, attackerUsage, attackerPurposes);
  const selfSigned = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: sbcName,
      notBefore: new Date(at - 7 * DAY),
      notAfter: new Date(at + 358 * DAY),
      keys: pairs.attacker,
      signingAlgorithm: signingAlgorithm(keys.attacker),
      extensions: impersonation,
    },
    deterministicCrypto,
  );
  const otherRootName = dn(ATTACKER_CA_NAME, 'Brackenfold Trust Services');
  const otherRoot = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: otherRootName,
      notBefore: new Date(at - 365 * DAY),
      notAfter: new Date(at + 9 * 365 * DAY),
      keys: pairs.otherCa,
      signingAlgorithm: signingAlgorithm(keys.otherCa),
      extensions: caExtensions(undefined),
    },
    deterministicCrypto,
  );
  const attackerLeaf = { name: sbcName, publicKey: pairs.attacker.publicKey };
  const otherCa = await issue(
    { name: otherRootName, pair: pairs.otherCa, key: keys.otherCa },
    attackerLeaf,
    at - 7 * DAY,
    at + 358 * DAY,
    impersonation,
  );
  const otherName = await issue(
    carrierCa,
    { name: dn(ATTACKER_HOST, 'Brackenfold Relay'), publicKey: pairs.attacker.publicKey },
    at - 60 * DAY,
    at + 305 * DAY,
    leafExtensions([{ type: 'dns', value: ATTACKER_HOST }], attackerUsage, attackerPurposes),
  );
  const expired = await issue(carrierCa, attackerLeaf, at - 400 * DAY, at - 35 * DAY, impersonation);
  const notYetValid = await issue(carrierCa, attackerLeaf, at + 30 * DAY, at + 395 * DAY, impersonation);

  const der = (c: { rawData: ArrayBuffer }) => new Uint8Array(c.rawData);
  return {
    keyType,
    anchors: [der(root)],
    root: { certificate: der(root), privateKey: keys.root },
    intermediate: { certificate: intermediate, privateKey: keys.intermediate },
    sbc: { chain: [sbc, intermediate], privateKey: keys.sbc },
    pbx: { chain: [pbx, intermediate], privateKey: keys.pbx, csr: new Uint8Array(csr.rawData) },
    attacker: {
      privateKey: keys.attacker,
      selfSigned: { chain: [der(selfSigned)], privateKey: keys.attacker },
      otherCa: { chain: [otherCa, der(otherRoot)], privateKey: keys.attacker, root: der(otherRoot) },
      otherName: { chain: [otherName, intermediate], privateKey: keys.attacker },
      expired: { chain: [expired, intermediate], privateKey: keys.attacker },
      notYetValid: { chain: [notYetValid, intermediate], privateKey: keys.attacker },
      copiedSbc: { chain: [sbc, intermediate], privateKey: keys.attacker },
    },
  };
}

/** The CA's side of the CSR flow: check the request's self-signature (RFC 2986 §3 step 3) before issuing. */
async function signRequest(
  csr: Pkcs10CertificateRequest,
  issue: (request: Pkcs10CertificateRequest) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const request = new Pkcs10CertificateRequest(csr.rawData);
  if (!(await request.verify())) throw new Error('the PBX certificate request does not verify');
  return issue(request);
}

/** An ECDSA P-256 private key from 48 seeded bytes (FIPS 186-5 Appendix A.4.1, as in key-agreement.ts). */
function ecdsaKey(random: RandomSource): PrivateKey {
  const d = p256.utils.randomSecretKey(random.bytes(48));
  return { kind: 'ecdsa-p256', d, publicKey: p256.getPublicKey(d, false) };
}
