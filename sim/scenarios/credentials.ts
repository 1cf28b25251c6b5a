/**
 * Who presents which certificate, and whom each party trusts, for a
 * scenario's setup.
 *
 * The carrier's PKI (pki/cast.ts) exists before any call: its root,
 * issuing CA, the SBC's and the PBX's certificates are the same for every
 * run, as a trunk's are for a year. So the cast is built once per profile,
 * key type and start time, from a fixed seed, and shared by every run: a
 * run's seed decides the run's own randomness (TLS randoms and key shares,
 * SIP identifiers, SRTP keys), not the certificates. Building a cast signs
 * a dozen certificates; sharing it keeps a run fast after the first.
 *
 * The one certificate the cast does not have is a PBX certificate from the
 * customer's own internal CA (RFC 5280 §4.1), which the carrier never signed:
 * it is issued here the same way, for the PBX's own key.
 */
import {
  type JsonName,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { p256 } from '@noble/curves/nist.js';
import type { CarrierProfile } from '../carrier';
import { HmacDrbg } from '../crypto/random';
import { buildCast, type Cast, type Credential } from '../pki/cast';
import { parseCertificate } from '../pki/certificate';
import { issueCrl } from '../pki/revocation';
import { cryptoKeyPair, deterministicCrypto, signingAlgorithm } from '../pki/deterministic-crypto';
import type { PrivateKey } from '../pki/keys';
import { toHex } from '../wire/bytes';
import type { ScenarioSetup } from './scenario';

const DAY = 86_400_000;

/** The customer's internal CA, as the PBX's installer set it up. */
export const CUSTOMER_CA_NAME = 'Harbour Street Dental Internal CA';

const casts = new Map<string, Promise<Cast>>();
const customerCas = new Map<string, Promise<Credential>>();
const crls = new Map<string, Promise<Uint8Array>>();

function castKey(carrier: CarrierProfile, keys: ScenarioSetup['keys'], at: number): string {
  const { name, ca, sbc, customer } = carrier;
  return JSON.stringify([name, ca, sbc.host, sbc.ip, customer.name, customer.pbxHost, keys, at]);
}

/** The carrier's PKI for this profile, key type and time, built once. */
export function carrierCast(carrier: CarrierProfile, keys: ScenarioSetup['keys'], at: number): Promise<Cast> {
  const key = castKey(carrier, keys, at);
  let cast = casts.get(key);
  if (!cast) {
    cast = buildCast({ carrier, random: HmacDrbg.fromSeed(0, 'carrier pki'), at, keyType: keys });
    casts.set(key, cast);
    cast.catch(() => casts.delete(key));
  }
  return cast;
}

/** The PBX's certificate from the customer's internal CA, for the PBX's own key; the chain ends with that CA. */
export function customerCaCredential(cast: Cast, carrier: CarrierProfile, at: number): Promise<Credential> {
  const key = castKey(carrier, cast.keyType, at);
  let credential = customerCas.get(key);
  if (!credential) {
    credential = issueFromCustomerCa(cast, carrier, at);
    customerCas.set(key, credential);
    credential.catch(() => customerCas.delete(key));
  }
  return credential;
}

async function issueFromCustomerCa(cast: Cast, carrier: CarrierProfile, at: number): Promise<Credential> {
  const random = HmacDrbg.fromSeed(0, 'customer internal ca');
  const d = p256.utils.randomSecretKey(random.bytes(48));
  const caKey: PrivateKey = { kind: 'ecdsa-p256', d, publicKey: p256.getPublicKey(d, false) };
  const caPair = await cryptoKeyPair(caKey);
  const pbxPair = await cryptoKeyPair(cast.pbx.privateKey);
  const caName: JsonName = [{ O: [carrier.customer.name] }, { CN: [CUSTOMER_CA_NAME] }];
  const serial = () => {
    const b = random.bytes(16);
    b[0] = (b[0] & 0x7f) | 0x10;
    return toHex(b);
  };
  const root = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: caName,
      notBefore: new Date(at - 400 * DAY),
      notAfter: new Date(at + 3250 * DAY),
      keys: caPair,
      signingAlgorithm: signingAlgorithm(caKey),
      extensions: [
        new BasicConstraintsExtension(true, 0, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
        await SubjectKeyIdentifierExtension.create(caPair.publicKey, false, deterministicCrypto),
      ],
    },
    deterministicCrypto,
  );
  const leaf = await X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: [{ O: [carrier.customer.name] }, { CN: [carrier.customer.pbxHost] }] as JsonName,
      issuer: caName,
      publicKey: pbxPair.publicKey,
      signingKey: caPair.privateKey,
      signingAlgorithm: signingAlgorithm(caKey),
      notBefore: new Date(at - 90 * DAY),
      notAfter: new Date(at + 640 * DAY),
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new ExtendedKeyUsageExtension([ExtendedKeyUsage.clientAuth], false),
        new SubjectAlternativeNameExtension([{ type: 'dns', value: carrier.customer.pbxHost }]),
        await SubjectKeyIdentifierExtension.create(pbxPair.publicKey, false, deterministicCrypto),
        await AuthorityKeyIdentifierExtension.create(caPair.publicKey, false, deterministicCrypto),
      ],
    },
    deterministicCrypto,
  );
  return {
    chain: [new Uint8Array(leaf.rawData), new Uint8Array(root.rawData)],
    privateKey: cast.pbx.privateKey,
  };
}

/**
 * The issuing CA's current CRL (RFC 5280 §5): empty, or listing the PBX's
 * certificate, revoked two days before the run for a key compromise. Issued a
 * day before the run, valid for a week, as CAs publish them.
 */
export function issuingCaCrl(
  cast: Cast,
  carrier: CarrierProfile,
  at: number,
  pbxRevoked: boolean,
): Promise<Uint8Array> {
  const key = `${castKey(carrier, cast.keyType, at)} ${pbxRevoked}`;
  let crl = crls.get(key);
  if (!crl) {
    const intermediate = parseCertificate(cast.intermediate.certificate, 'issuing CA certificate');
    const pbx = parseCertificate(cast.pbx.chain[0], 'PBX certificate');
    crl = issueCrl(
      { name: intermediate.subjectName, privateKey: cast.intermediate.privateKey },
      {
        thisUpdate: at - DAY,
        nextUpdate: at + 6 * DAY,
        number: pbxRevoked ? 2 : 1,
        revoked: pbxRevoked ? [{ serial: pbx.serialNumber, at: at - 2 * DAY, reason: 'keyCompromise' }] : [],
      },
    );
    crls.set(key, crl);
    crl.catch(() => crls.delete(key));
  }
  return crl;
}

/** One certificate of the carrier's PKI as the lab issues it: whose it is, and its validity period (ISO 8601). */
export interface LabCertificate {
  role: 'root' | 'issuing' | 'sbc' | 'pbx';
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

/** The carrier's certificates a run uses, with their dates: what an article about renewal quotes. */
export async function labCertificates(carrier: CarrierProfile, at: number): Promise<LabCertificate[]> {
  const cast = await carrierCast(carrier, 'ecdsa-p256', at);
  const der: Array<[LabCertificate['role'], Uint8Array]> = [
    ['root', cast.root.certificate],
    ['issuing', cast.intermediate.certificate],
    ['sbc', cast.sbc.chain[0]],
    ['pbx', cast.pbx.chain[0]],
  ];
  return der.map(([role, bytes]) => {
    const c = parseCertificate(bytes, `${role} certificate`);
    const cn = (dn: string) => /CN=([^,]+)/.exec(dn)?.[1] ?? dn;
    return {
      role,
      subject: cn(c.subject),
      issuer: cn(c.issuer),
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
    };
  });
}

/** The certificates and trust of each party in a run. */
export interface RunCredentials {
  cast: Cast;
  /** What the PBX presents when asked (none: an empty Certificate). */
  pbx?: Credential;
  /** The roots the PBX checks the SBC's chain against. */
  pbxTrusts: Uint8Array[];
  sbc: Credential;
  /** The CRLs the SBC checks client certificates against, if it checks any. */
  sbcCrls?: Uint8Array[];
  /** What an intercepting attacker presents as the SBC. */
  attacker?: Credential;
}

export async function runCredentials(
  setup: ScenarioSetup,
  carrier: CarrierProfile,
  at: number,
): Promise<RunCredentials> {
  const cast = await carrierCast(carrier, setup.keys, at);
  const { tls } = setup.pbx;
  const pbx =
    tls.certificate === 'carrier-issued' || tls.certificate === 'revoked'
      ? cast.pbx
      : tls.certificate === 'customer-ca'
        ? await customerCaCredential(cast, carrier, at)
        : undefined;
  // The other root: one a PBX might have been given by mistake (here, a public-looking CA's).
  const pbxTrusts = tls.trusts === 'carrier-root' ? cast.anchors : [cast.attacker.otherCa.root];
  // The SBC's name on an expired certificate from the carrier's CA (the cast files it with the attacker's key).
  const sbcFull = setup.sbc.certificate === 'current' ? cast.sbc : cast.attacker.expired;
  const sbc = setup.sbc.sendsIntermediate
    ? sbcFull
    : { chain: sbcFull.chain.slice(0, 1), privateKey: sbcFull.privateKey };
  let attacker: Credential | undefined;
  if (setup.attacker.kind === 'intercept') {
    const a = cast.attacker;
    attacker = {
      'self-signed': a.selfSigned,
      'other-ca': a.otherCa,
      'other-name': a.otherName,
      'copied-sbc': a.copiedSbc,
    }[setup.attacker.certificate];
  }
  const sbcCrls = setup.sbc.checksCrl
    ? [await issuingCaCrl(cast, carrier, at, tls.certificate === 'revoked')]
    : undefined;
  return { cast, pbx, pbxTrusts, sbc, ...(sbcCrls ? { sbcCrls } : {}), ...(attacker ? { attacker } : {}) };
}
