/**
 * Reading a PBX's certificate signing request (PKCS #10, RFC 2986) the way a
 * carrier's CA does before it issues anything, with one reason per refusal:
 *
 * 1. It is a CertificationRequest (RFC 2986 §4.2): PEM with the label
 *    `CERTIFICATE REQUEST` (RFC 7468 §7; `NEW CERTIFICATE REQUEST` as older
 *    tools write it) or DER.
 * 2. Its signature verifies with the key inside it (RFC 2986 §3 step 3): the
 *    requester holds the private key, and nothing was changed on the way.
 * 3. The key is one the SBC's TLS speaks and strong enough: ECDSA P-256, or
 *    RSA of at least 2048 bits (NIST SP 800-131A Rev. 2 §3).
 * 4. It names the PBX: the DNS names and IP addresses of its subjectAltName
 *    extension request (RFC 2985 §5.4.2, RFC 5280 §4.2.1.6), or else a
 *    Common Name that is a host name. Each must be a host name of LDH labels
 *    (RFC 1123 §2.1, RFC 5890 §2.3.1) or an address; no wildcard is issued to
 *    a PBX.
 */
import { Pkcs10CertificateRequest, SubjectAlternativeNameExtension } from '@peculiar/x509';
import { isParseError } from '../wire/parse-error';
import { parseIpAddress } from './host-name';
import { publicKeyFromSpki, type PublicKey } from './keys';
import { readPemBlocks } from './pem';
import { subjectName, type SubjectName } from './certificate-profile';

/** Why a request is refused. */
export type RequestProblem =
  'not_a_request' | 'bad_signature' | 'unsupported_key' | 'weak_key' | 'no_name' | 'bad_name';

export interface CheckedRequest {
  ok: true;
  request: Pkcs10CertificateRequest;
  /** The subject as the request gives it (RFC 4514 text). */
  subject: string;
  /** The names the certificate will carry in subjectAltName. */
  names: SubjectName[];
  key: PublicKey;
  /** `ECDSA P-256`, `RSA 3072`. */
  keyDescription: string;
}

export type RequestCheck = CheckedRequest | { ok: false; problem: RequestProblem; detail: string };

/** The smallest RSA modulus issued (NIST SP 800-131A Rev. 2 §3: 112-bit security). */
export const MIN_RSA_BITS = 2048;

const PEM_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

export async function checkCertificateRequest(bytes: Uint8Array): Promise<RequestCheck> {
  const refuse = (problem: RequestProblem, detail: string): RequestCheck => ({ ok: false, problem, detail });
  const der = requestDer(bytes);
  if (typeof der === 'string') return refuse('not_a_request', der);
  let request: Pkcs10CertificateRequest;
  try {
    request = new Pkcs10CertificateRequest(new Uint8Array(der));
  } catch (e) {
    return refuse('not_a_request', `not a PKCS #10 CertificationRequest (RFC 2986 §4.2): ${firstLine(e)}`);
  }

  let key: PublicKey;
  try {
    key = publicKeyFromSpki(new Uint8Array(request.publicKey.rawData), 'the request’s key');
  } catch (e) {
    if (!isParseError(e)) throw e;
    return refuse('unsupported_key', `${e.message}`);
  }
  const bits = key.kind === 'rsa' ? key.key.n.toString(2).length : 256;
  if (key.kind === 'rsa' && bits < MIN_RSA_BITS) {
    return refuse(
      'weak_key',
      `the key is RSA ${bits}; at least ${MIN_RSA_BITS} bits are issued (NIST SP 800-131A), or use ECDSA P-256`,
    );
  }

  // A signature that cannot even be read fails the same check as one that does not verify.
  const verified = await request.verify().catch(() => false);
  if (!verified) {
    return refuse(
      'bad_signature',
      'the request’s signature does not verify with the key inside it: it was changed after signing, or signed with another key (RFC 2986 §3)',
    );
  }

  const names = requestedNames(request);
  if (typeof names === 'string') return refuse('bad_name', names);
  if (names.length === 0) {
    return refuse(
      'no_name',
      'the request names no host: give the PBX’s host name as its Common Name or in subjectAltName (openssl req -addext "subjectAltName=DNS:pbx.example.net")',
    );
  }
  return {
    ok: true,
    request,
    subject: request.subject,
    names,
    key,
    keyDescription: key.kind === 'rsa' ? `RSA ${bits}` : 'ECDSA P-256',
  };
}

/** The DER of the request, or why there is none. */
function requestDer(bytes: Uint8Array): Uint8Array | string {
  if (bytes.length === 0) return 'the file is empty';
  // DER starts with a SEQUENCE tag; anything else is read as PEM text.
  if (bytes[0] === 0x30) return bytes;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  let blocks;
  try {
    blocks = readPemBlocks(text);
  } catch (e) {
    return firstLine(e);
  }
  const block = blocks.find((b) => PEM_LABELS.includes(b.label));
  if (block) return block.der;
  if (blocks.length === 0) return 'neither PEM (no "-----BEGIN" line) nor DER';
  const found = blocks.map((b) => b.label).join(', ');
  const hint = blocks.some((b) => b.label === 'CERTIFICATE')
    ? ': that is a certificate already; send the request (.csr) made with `openssl req -new`'
    : blocks.some((b) => b.label.includes('PRIVATE KEY'))
      ? ': that is a private key, which never leaves the PBX; send the request made from it with `openssl req -new`'
      : '';
  return `no CERTIFICATE REQUEST block (found ${found})${hint}`;
}

/** The names to issue: subjectAltName's DNS names and addresses, else a Common Name that is a host name; or why not. */
function requestedNames(request: Pkcs10CertificateRequest): SubjectName[] | string {
  let san: SubjectAlternativeNameExtension | undefined;
  try {
    san = request.extensions.find((e) => e instanceof SubjectAlternativeNameExtension);
  } catch (e) {
    return `the subjectAltName in the request cannot be read: ${firstLine(e)}`;
  }
  const names: SubjectName[] = [];
  if (san) {
    for (const n of san.names.items) {
      if (n.type !== 'dns' && n.type !== 'ip') continue;
      const problem = n.type === 'dns' ? hostNameProblem(n.value) : undefined;
      if (problem) return `subjectAltName DNS:${n.value} ${problem}`;
      names.push({ type: n.type, value: n.value });
    }
    if (names.length > 0) return names;
  }
  const cn = request.subjectName.getField('CN')[0];
  if (cn === undefined) return [];
  if (parseIpAddress(cn)) return [subjectName(cn)];
  const problem = hostNameProblem(cn);
  if (problem) return `the Common Name "${cn}" ${problem}, and there is no subjectAltName DNS name`;
  return [{ type: 'dns', value: cn }];
}

/** Why `name` is not a host name a PBX certificate may carry (RFC 1123 §2.1, RFC 5890 §2.3.1), or undefined. */
export function hostNameProblem(name: string): string | undefined {
  if (name.includes('*')) return 'is a wildcard, which is not issued to a PBX';
  const labels = name.replace(/\.$/, '').split('.');
  if (name.length > 253) return 'is longer than 253 characters';
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return 'is not a host name (each label has 1 to 63 characters)';
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(label))
      return 'is not a host name (letters, digits and inner hyphens only)';
  }
  return undefined;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
