/**
 * Certificate revocation lists (RFC 5280 §5): a CA's signed list of the
 * serial numbers it has withdrawn before their notAfter, and the check a
 * verifier makes with it while it validates a path (RFC 5280 §6.3).
 *
 * - `issueCrl`: a version 2 CRL (§5.1) from a CA's name and key, with
 *   thisUpdate and nextUpdate (§5.1.2.4–5), a CRL number (§5.2.3) and, for
 *   each revoked serial, its revocation date and reason code (§5.3.1).
 * - `checkRevocation`: for one certificate and its issuer, the CRLs from that
 *   issuer whose signature verifies with the issuer's key (§6.3.3 (f)–(g))
 *   and that are current at the verifier's time (§6.3.3 (a)); the
 *   certificate is revoked if its serial is listed (§6.3.3 (i)). With no
 *   usable CRL the status is unknown, which the caller decides about.
 *
 * OpenSSL reads the CRLs `issueCrl` makes (tests/pki/revocation.test.ts runs
 * `openssl crl` and `openssl verify -crl_check` on them).
 */
import {
  Extension,
  X509Crl,
  X509CrlGenerator,
  X509CrlReason,
  type JsonName,
  type Name,
  type X509Certificate,
} from '@peculiar/x509';
import type { PrivateKey } from './keys';
import { ParseError } from '../wire/parse-error';
import { cryptoKeyPair, deterministicCrypto, signingAlgorithm } from './deterministic-crypto';

export type RevocationReason = keyof typeof X509CrlReason;

export interface RevokedEntry {
  /** Hex, as the certificate states it. */
  serial: string;
  /** Ms since the epoch. */
  at: number;
  reason: RevocationReason;
}

export interface CrlIssuer {
  /** The CA's subject, exactly as its certificate states it (a parsed Name keeps its encoding). */
  name: Name | JsonName | string;
  privateKey: PrivateKey;
}

/** A CRL as DER, signed by the issuer (RFC 5280 §5.1), deterministic in its inputs. */
export async function issueCrl(
  issuer: CrlIssuer,
  options: { thisUpdate: number; nextUpdate: number; number: number; revoked: RevokedEntry[] },
): Promise<Uint8Array> {
  const pair = await cryptoKeyPair(issuer.privateKey);
  const crl = await X509CrlGenerator.create(
    {
      issuer: issuer.name,
      thisUpdate: new Date(options.thisUpdate),
      nextUpdate: new Date(options.nextUpdate),
      signingKey: pair.privateKey,
      signingAlgorithm: signingAlgorithm(issuer.privateKey),
      extensions: [new Extension(CRL_NUMBER, false, derInteger(options.number) as Uint8Array<ArrayBuffer>)],
      entries: options.revoked.map((r) => ({
        serialNumber: r.serial,
        revocationDate: new Date(r.at),
        reason: X509CrlReason[r.reason],
      })),
    },
    deterministicCrypto,
  );
  return new Uint8Array(crl.rawData);
}

/** id-ce-cRLNumber (RFC 5280 §5.2.3). */
const CRL_NUMBER = '2.5.29.20';

/** A non-negative integer as DER (X.690 §8.3): minimal big-endian bytes, a leading zero if the top bit is set. */
function derInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a CRL number is a non-negative integer, got ${n}`);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return Uint8Array.of(0x02, bytes.length, ...bytes);
}

/** Reads a DER CRL far enough to use it; a ParseError naming `where` when the bytes are not one (RFC 5280 §5.1). */
export function readCrl(der: Uint8Array, where = 'CRL'): X509Crl {
  try {
    const crl = new X509Crl(der as Uint8Array<ArrayBuffer>);
    void [crl.issuer, crl.thisUpdate, crl.nextUpdate, crl.entries.length];
    return crl;
  } catch (e) {
    throw new ParseError(
      'invalid_value',
      `not a certificate revocation list (${e instanceof Error ? e.message : String(e)})`,
      0,
      where,
    );
  }
}

export type RevocationStatus =
  | { status: 'good'; detail: string }
  | { status: 'revoked'; detail: string; at: Date; reason?: string }
  | { status: 'unknown'; detail: string };

/** Whether `cert`, issued by `issuer`, is on a current CRL from that issuer (RFC 5280 §6.3). */
export async function checkRevocation(
  cert: X509Certificate,
  issuer: X509Certificate,
  crls: readonly Uint8Array[],
  at: number,
): Promise<RevocationStatus> {
  const problems: string[] = [];
  for (const der of crls) {
    let crl: X509Crl;
    try {
      crl = readCrl(der);
    } catch {
      problems.push('a CRL that cannot be read');
      continue;
    }
    if (crl.issuer !== issuer.subject) continue;
    if (!(await crl.verify({ publicKey: issuer.publicKey }).catch(() => false))) {
      problems.push(`a CRL claiming to be from “${cn(issuer)}” whose signature does not verify`);
      continue;
    }
    if (crl.thisUpdate.getTime() > at || (crl.nextUpdate && crl.nextUpdate.getTime() < at)) {
      problems.push(
        `“${cn(issuer)}”’s CRL of ${crl.thisUpdate.toISOString().slice(0, 10)}, which is not current (next update ${crl.nextUpdate?.toISOString().slice(0, 10) ?? 'not given'})`,
      );
      continue;
    }
    const entry = crl.findRevoked(cert);
    const issued = crl.thisUpdate.toISOString().slice(0, 10);
    if (entry) {
      return {
        status: 'revoked',
        at: entry.revocationDate,
        ...(entry.reason !== undefined ? { reason: X509CrlReason[entry.reason] } : {}),
        detail: `“${cn(cert)}” (serial ${cert.serialNumber}) is on “${cn(issuer)}”’s CRL of ${issued}: revoked on ${entry.revocationDate.toISOString().slice(0, 10)}${entry.reason !== undefined ? `, reason ${X509CrlReason[entry.reason]}` : ''}`,
      };
    }
    return { status: 'good', detail: `“${cn(cert)}” is not on “${cn(issuer)}”’s CRL of ${issued}` };
  }
  return {
    status: 'unknown',
    detail: problems.length ? `no usable CRL: ${problems.join('; ')}` : `no CRL from “${cn(issuer)}”`,
  };
}

function cn(c: X509Certificate): string {
  return c.subjectName.getField('CN')[0] ?? c.subject;
}
