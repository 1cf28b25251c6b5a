/**
 * An X.509 certificate's bytes, explained: the annotated field tree the packet
 * inspector shows for each certificate a TLS Certificate message carries.
 *
 * The certificate is DER (X.690 §10): every element is a tag octet
 * (X.690 §8.1.2), a length (§8.1.3, definite form only in DER) and its
 * contents. The structure is RFC 5280 §4.1:
 *
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { version [0], serialNumber, signature, issuer,
 *                                 validity, subject, subjectPublicKeyInfo, ..., extensions [3] }
 *
 * The named parts are read by their RFC 5280 names; inside names, algorithm
 * identifiers and extension values any DER is read generically, so every
 * byte still has a field, and anything malformed is a `ParseError`.
 */
import { ByteReader } from '../wire/reader';
import type { Field } from '../wire/field';
import { fromUtf8, toHex } from '../wire/bytes';
import { decodeOid } from './oid';

const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const UNIVERSAL_NAMES: Record<number, string> = {
  0x01: 'BOOLEAN',
  0x02: 'INTEGER',
  0x03: 'BIT STRING',
  0x04: 'OCTET STRING',
  0x05: 'NULL',
  0x06: 'OBJECT IDENTIFIER',
  0x0c: 'UTF8String',
  0x13: 'PrintableString',
  0x14: 'TeletexString',
  0x16: 'IA5String',
  0x17: 'UTCTime',
  0x18: 'GeneralizedTime',
  0x1e: 'BMPString',
  0x30: 'SEQUENCE',
  0x31: 'SET',
};

/** Object identifiers a trunk's certificates use, by name (RFC 5280, RFC 5480, RFC 8017, RFC 4055). */
const OID_NAMES: Record<string, string> = {
  '2.5.4.3': 'commonName (CN)',
  '2.5.4.6': 'countryName (C)',
  '2.5.4.7': 'localityName (L)',
  '2.5.4.8': 'stateOrProvinceName (ST)',
  '2.5.4.10': 'organizationName (O)',
  '2.5.4.11': 'organizationalUnitName (OU)',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.8': 'MGF1',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10045.3.1.7': 'secp256r1 (P-256)',
  '1.3.132.0.34': 'secp384r1 (P-384)',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.3.101.112': 'Ed25519',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
};

const EXTENSION_NOTES: Record<string, [string, string]> = {
  '2.5.29.14': ['identifies this certificate’s public key, so chains can be built', 'RFC 5280 §4.2.1.2'],
  '2.5.29.15': ['what the key may do: sign, encrypt keys, sign certificates', 'RFC 5280 §4.2.1.3'],
  '2.5.29.17': ['the host names and addresses this certificate is for', 'RFC 5280 §4.2.1.6'],
  '2.5.29.19': ['whether this is a CA, and how many CAs may follow below it', 'RFC 5280 §4.2.1.9'],
  '2.5.29.35': ['identifies the issuer’s key that signed this certificate', 'RFC 5280 §4.2.1.1'],
  '2.5.29.37': ['the purposes allowed: TLS server (serverAuth), TLS client (clientAuth)', 'RFC 5280 §4.2.1.12'],
};

/** Where each element being read ends, innermost last, per reader. */
const openElements = new WeakMap<ByteReader, number[]>();

/** DER nested deeper than any certificate needs is refused rather than followed. */
const MAX_DEPTH = 24;

/** What a reader of a certificate wants first, gathered while its fields are read. */
interface Highlights {
  subject?: string;
  issuer?: string;
  notAfter?: string;
  dnsNames: string[];
  purposes: string[];
  ca: boolean;
}

/** `CN=…` out of a name as `distinguishedName` writes it, else the whole name. */
function commonName(dn: string): string {
  return /(?:^|, |\+)CN=([^,+]+)/.exec(dn)?.[1] ?? dn;
}

/**
 * One line a person reads a certificate by: whom it is for (its first DNS
 * name, else its common name), who issued it, until when, and what for:
 * `sbc1.trunks.quillfeather.example, issued by … Issuing CA, valid until …, serverAuth`.
 */
function headline(h: Highlights): string {
  const name = h.dnsNames[0] ?? commonName(h.subject ?? '(no subject)');
  const issuer =
    h.issuer === undefined ? '' : h.issuer === h.subject ? ', self-signed' : `, issued by ${commonName(h.issuer)}`;
  const until = h.notAfter ? `, valid until ${h.notAfter}` : '';
  const what = h.ca ? ['a CA'] : h.purposes;
  return `${name}${issuer}${until}${what.length ? `, ${what.join(', ')}` : ''}`;
}

/** The field tree of one DER certificate; `base` is its offset within the packet. */
export function certificateFields(der: Uint8Array, base = 0): Field[] {
  const r = new ByteReader(der, base);
  readCertificateFields(r);
  r.expectEnd('Certificate');
  return r.fields;
}

/** Reads one certificate at the reader's position, annotating every byte (RFC 5280 §4.1). */
export function readCertificateFields(r: ByteReader): void {
  const seen: Highlights = { dnsNames: [], purposes: [], ca: false };
  element(
    r,
    0,
    { name: 'Certificate', note: 'an X.509 certificate', spec: 'RFC 5280 §4.1', layer: 'x509', tag: TAG.SEQUENCE },
    (end) => {
      element(
        r,
        1,
        { name: 'tbsCertificate', note: 'the part the issuer signs', spec: 'RFC 5280 §4.1.1.1', tag: TAG.SEQUENCE },
        () => tbsCertificate(r, seen),
      );
      algorithmIdentifier(r, 1, 'signatureAlgorithm', 'how the issuer signed tbsCertificate', 'RFC 5280 §4.1.1.2');
      element(
        r,
        1,
        {
          name: 'signatureValue',
          note: 'the issuer’s signature over tbsCertificate',
          spec: 'RFC 5280 §4.1.1.3',
          tag: TAG.BIT_STRING,
        },
        (e) => bitString(r, e),
      );
      void end;
      return headline(seen);
    },
  );
}

function tbsCertificate(r: ByteReader, seen: Highlights): string {
  if (r.peekUint8() === 0xa0) {
    element(
      r,
      2,
      {
        name: 'version',
        note: 'the X.509 version; 2 means v3, which has extensions',
        spec: 'RFC 5280 §4.1.2.1',
        tag: 0xa0,
      },
      () =>
        element(r, 3, { name: 'INTEGER', tag: TAG.INTEGER }, (e) => integer(r, e, (v) => `v${Number(v) + 1} (${v})`)),
    );
  }
  element(
    r,
    2,
    {
      name: 'serialNumber',
      note: 'unique among the certificates this CA issues',
      spec: 'RFC 5280 §4.1.2.2',
      tag: TAG.INTEGER,
    },
    (e) => integer(r, e),
  );
  algorithmIdentifier(
    r,
    2,
    'signature',
    'the signature algorithm, repeated inside the signed part',
    'RFC 5280 §4.1.2.3',
  );
  const issuer = distinguishedName(r, 'issuer', 'who issued and signed this certificate', 'RFC 5280 §4.1.2.4');
  seen.issuer = issuer;
  element(
    r,
    2,
    { name: 'validity', note: 'when the certificate may be used', spec: 'RFC 5280 §4.1.2.5', tag: TAG.SEQUENCE },
    () => {
      const from = element(
        r,
        3,
        { name: 'notBefore', note: 'not valid before this time', spec: 'RFC 5280 §4.1.2.5' },
        (e, tag) => time(r, e, tag),
      );
      const until = element(
        r,
        3,
        { name: 'notAfter', note: 'not valid after this time', spec: 'RFC 5280 §4.1.2.5' },
        (e, tag) => time(r, e, tag),
      );
      seen.notAfter = until;
      return `${from} to ${until}`;
    },
  );
  const subject = distinguishedName(r, 'subject', 'whom this certificate is for', 'RFC 5280 §4.1.2.6');
  seen.subject = subject;
  element(
    r,
    2,
    {
      name: 'subjectPublicKeyInfo',
      note: 'the subject’s public key and its algorithm',
      spec: 'RFC 5280 §4.1.2.7',
      tag: TAG.SEQUENCE,
    },
    () => {
      const algorithm = algorithmIdentifier(r, 3, 'algorithm', 'the key’s algorithm (and curve)', 'RFC 5480 §2.1.1');
      element(
        r,
        3,
        { name: 'subjectPublicKey', note: 'the public key', spec: 'RFC 5280 §4.1.2.7', tag: TAG.BIT_STRING },
        (e) => bitString(r, e),
      );
      return algorithm;
    },
  );
  // issuerUniqueID [1] and subjectUniqueID [2] are obsolete but legal (RFC 5280 §4.1.2.8).
  while (r.peekUint8() === 0x81 || r.peekUint8() === 0xa1 || r.peekUint8() === 0x82 || r.peekUint8() === 0xa2) {
    anyElement(r, 2, 'uniqueIdentifier');
  }
  if (r.peekUint8() === 0xa3) {
    element(
      r,
      2,
      {
        name: 'extensions',
        note: 'what the certificate may be used for, and for which names',
        spec: 'RFC 5280 §4.1.2.9',
        tag: 0xa3,
      },
      () =>
        element(r, 3, { name: 'SEQUENCE', tag: TAG.SEQUENCE }, (end) => {
          const names: string[] = [];
          while (r.offset < end) names.push(extension(r, seen));
          return names.join(', ');
        }),
    );
  }
  return `${subject}, issued by ${issuer}`;
}

function extension(r: ByteReader, seen: Highlights): string {
  let name = 'extension';
  element(r, 4, { name: 'Extension', spec: 'RFC 5280 §4.1.2.9', tag: TAG.SEQUENCE }, (end) => {
    const oid = element(
      r,
      5,
      { name: 'extnID', note: 'which extension', spec: 'RFC 5280 §4.1.2.9', tag: TAG.OID },
      (e) => objectIdentifier(r, e),
    );
    const id = oid.replace(/ \(.*$/, '');
    name = OID_NAMES[id] ?? id;
    if (r.peekUint8() === TAG.BOOLEAN) {
      element(
        r,
        5,
        {
          name: 'critical',
          note: 'a verifier that does not understand a critical extension must reject the certificate',
          spec: 'RFC 5280 §4.2',
          tag: TAG.BOOLEAN,
        },
        (e) => boolean(r, e),
      );
    }
    const [note, spec] = EXTENSION_NOTES[id] ?? ['the extension’s value, itself DER', 'RFC 5280 §4.2'];
    const read = EXTENSION_VALUES[id];
    element(r, 5, { name: 'extnValue', note, spec, tag: TAG.OCTET_STRING }, (e) => {
      const start = r.offset;
      if (read) return read(r, 6, seen);
      while (r.offset < e) anyElement(r, 6, name);
      return `${e - start} bytes`;
    });
    void end;
    return name;
  });
  return name;
}

/** keyUsage's bits, from bit 0 (RFC 5280 §4.2.1.3). */
const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** GeneralName's choices by their context tag (RFC 5280 §4.2.1.6). */
const GENERAL_NAMES: Record<number, string> = {
  0x81: 'rfc822Name',
  0x82: 'dNSName',
  0x86: 'uniformResourceIdentifier',
  0x87: 'iPAddress',
};

type ExtensionValue = (r: ByteReader, depth: number, seen: Highlights) => string;

/** The extensions a trunk's certificates carry, read by their own structure; any other is read generically. */
const EXTENSION_VALUES: Record<string, ExtensionValue> = {
  // SubjectAltName ::= GeneralNames ::= SEQUENCE OF GeneralName (RFC 5280 §4.2.1.6)
  '2.5.29.17': (r, depth, seen) =>
    element(r, depth, { name: 'GeneralNames', spec: 'RFC 5280 §4.2.1.6', tag: TAG.SEQUENCE }, (end) => {
      const names: string[] = [];
      while (r.offset < end) {
        const kind = GENERAL_NAMES[r.peekUint8()!];
        const value = anyElement(r, depth + 1, kind ?? 'GeneralName');
        if (kind === 'dNSName') seen.dnsNames.push(value);
        names.push(kind === 'dNSName' ? `DNS:${value}` : kind === 'iPAddress' ? `IP:${value}` : value);
      }
      return names.join(', ');
    }),
  // KeyUsage ::= BIT STRING (RFC 5280 §4.2.1.3)
  '2.5.29.15': (r, depth) =>
    element(r, depth, { name: 'KeyUsage', spec: 'RFC 5280 §4.2.1.3', tag: TAG.BIT_STRING }, (end) => {
      if (end === r.offset) throw r.error('invalid_value', 'a BIT STRING has at least its unused-bits byte');
      r.uint8({ name: 'unused bits', note: 'bits of padding in the last byte', spec: 'X.690 §8.6.2.2' });
      const bits = r.bytes(end - r.offset, { name: 'bits', value: (b) => keyUsageNames(b) });
      return keyUsageNames(bits);
    }),
  // ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (RFC 5280 §4.2.1.12)
  '2.5.29.37': (r, depth, seen) =>
    element(r, depth, { name: 'ExtKeyUsageSyntax', spec: 'RFC 5280 §4.2.1.12', tag: TAG.SEQUENCE }, (end) => {
      const purposes: string[] = [];
      while (r.offset < end) {
        const oid = element(r, depth + 1, { name: 'KeyPurposeId', spec: 'RFC 5280 §4.2.1.12', tag: TAG.OID }, (e) =>
          objectIdentifier(r, e),
        );
        purposes.push(/\((\w+)\)$/.exec(oid)?.[1] ?? oid);
      }
      seen.purposes.push(...purposes);
      return purposes.join(', ');
    }),
  // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } (§4.2.1.9)
  '2.5.29.19': (r, depth, seen) =>
    element(r, depth, { name: 'BasicConstraints', spec: 'RFC 5280 §4.2.1.9', tag: TAG.SEQUENCE }, (end) => {
      let ca = false;
      let pathLen: string | undefined;
      if (r.offset < end && r.peekUint8() === TAG.BOOLEAN) {
        ca =
          element(r, depth + 1, { name: 'cA', note: 'whether the key may sign certificates', tag: TAG.BOOLEAN }, (e) =>
            boolean(r, e),
          ) === 'TRUE';
      }
      if (r.offset < end) {
        pathLen = element(
          r,
          depth + 1,
          { name: 'pathLenConstraint', note: 'how many CAs may follow below this one', tag: TAG.INTEGER },
          (e) => integer(r, e),
        );
      }
      seen.ca = ca;
      return ca
        ? `CA${pathLen === undefined ? '' : `, at most ${pathLen} CA${pathLen === '1' ? '' : 's'} below`}`
        : 'not a CA';
    }),
  // SubjectKeyIdentifier ::= KeyIdentifier ::= OCTET STRING (RFC 5280 §4.2.1.2)
  '2.5.29.14': (r, depth) =>
    element(r, depth, { name: 'keyIdentifier', spec: 'RFC 5280 §4.2.1.2', tag: TAG.OCTET_STRING }, (end) =>
      opaque(r, end),
    ),
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL, ... } (§4.2.1.1)
  '2.5.29.35': (r, depth) =>
    element(r, depth, { name: 'AuthorityKeyIdentifier', spec: 'RFC 5280 §4.2.1.1', tag: TAG.SEQUENCE }, (end) => {
      const parts: string[] = [];
      while (r.offset < end) {
        const name = r.peekUint8() === 0x80 ? 'keyIdentifier' : childName(r.peekUint8());
        parts.push(anyElement(r, depth + 1, name));
      }
      return parts.join(', ');
    }),
};

function keyUsageNames(bits: Uint8Array): string {
  const names = KEY_USAGE_BITS.filter((_, i) => i < bits.length * 8 && bits[i >> 3] & (0x80 >> (i & 7)));
  return names.join(', ') || '(none)';
}

function algorithmIdentifier(r: ByteReader, depth: number, name: string, note: string, spec: string): string {
  return element(r, depth, { name, note, spec, tag: TAG.SEQUENCE }, (end) => {
    const oid = element(r, depth + 1, { name: 'algorithm', spec: 'RFC 5280 §4.1.1.2', tag: TAG.OID }, (e) =>
      objectIdentifier(r, e),
    );
    while (r.offset < end) anyElement(r, depth + 1, 'parameters');
    return oid;
  });
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue), RFC 5280 §4.1.2.4. */
function distinguishedName(r: ByteReader, name: string, note: string, spec: string): string {
  return element(r, 2, { name, note, spec, tag: TAG.SEQUENCE }, (end) => {
    const parts: string[] = [];
    while (r.offset < end) {
      element(r, 3, { name: 'RelativeDistinguishedName', spec: 'RFC 5280 §4.1.2.4', tag: TAG.SET }, (setEnd) => {
        const inSet: string[] = [];
        while (r.offset < setEnd) {
          inSet.push(
            element(r, 4, { name: 'AttributeTypeAndValue', spec: 'RFC 5280 §4.1.2.4', tag: TAG.SEQUENCE }, () => {
              const type = element(r, 5, { name: 'type', tag: TAG.OID }, (e) => objectIdentifier(r, e));
              const value = anyElement(r, 5, 'value');
              const short = /\((\w+)\)\)$/.exec(type)?.[1] ?? type.split(' ')[0];
              return `${short}=${value}`;
            }),
          );
        }
        parts.push(inSet.join('+'));
        return inSet.join('+');
      });
    }
    return parts.join(', ') || '(empty)';
  });
}

interface ElementSpec {
  name: string;
  note?: string;
  spec?: string;
  layer?: 'x509';
  /** The tag the structure requires here; any tag when absent. */
  tag?: number;
}

/**
 * One DER element: a group holding its tag, its length and its contents,
 * which `contents` reads up to `end` and sums up in a string.
 */
function element(r: ByteReader, depth: number, s: ElementSpec, contents: (end: number, tag: number) => string): string {
  if (depth > MAX_DEPTH) throw r.error('too_large', `DER nested more than ${MAX_DEPTH} levels deep`, s.name);
  const close = r.group({ name: s.name, note: s.note, spec: s.spec, layer: s.layer });
  if (r.remaining < 2) throw r.error('truncated', 'an element needs at least a tag and a length', s.name);
  const tag = r.uint8({
    name: 'tag',
    value: (t) => `${tagName(t)} (0x${t.toString(16).padStart(2, '0')})`,
    note: 'what kind of element follows',
    spec: 'X.690 §8.1.2',
  });
  if (s.tag !== undefined && tag !== s.tag) {
    throw r.error('invalid_value', `expected ${tagName(s.tag)}, found ${tagName(tag)}`, s.name);
  }
  if ((tag & 0x1f) === 0x1f)
    throw r.error('unsupported', 'multi-byte tag numbers do not occur in certificates', s.name);
  const length = derLength(r, s.name);
  const stack = openElements.get(r) ?? [];
  openElements.set(r, stack);
  // An element must fit inside the one that contains it, not merely inside the input.
  const limit = stack.at(-1) ?? r.offset + r.remaining;
  if (length > limit - r.offset) {
    throw r.error(
      stack.length ? 'length_mismatch' : 'truncated',
      `says ${length} bytes follow but only ${limit - r.offset} remain`,
      s.name,
    );
  }
  const end = r.offset + length;
  stack.push(end);
  const summary = contents(end, tag);
  stack.pop();
  if (r.offset !== end)
    throw r.error('length_mismatch', `${end - r.offset} byte(s) left unread inside the element`, s.name);
  close({ value: summary });
  return summary;
}

/** X.690 §8.1.3: short form below 128; else 0x8N and N length bytes. DER uses the shortest form (§10.1). */
function derLength(r: ByteReader, name: string): number {
  const first = r.peekUint8()!;
  if (first < 0x80)
    return r.uint8({
      name: 'length',
      value: (n) => `${n} bytes`,
      note: 'how many bytes of contents follow',
      spec: 'X.690 §8.1.3.4',
    });
  const count = first & 0x7f;
  if (count === 0) throw r.error('invalid_value', 'the indefinite length form is not DER', name);
  if (count > 3) throw r.error('too_large', `a ${count}-byte length is larger than any certificate`, name);
  const all = r.uint((1 + count) as 2 | 3 | 4, {
    name: 'length',
    value: (v) => `${v % 2 ** (8 * count)} bytes (long form, ${count} length byte${count > 1 ? 's' : ''})`,
    note: 'how many bytes of contents follow',
    spec: 'X.690 §8.1.3.5',
  });
  // The length bytes after the first, by mask: `%` by a power computed with `**` gives a
  // heap-allocated double, and offsets derived from it would box every field's start and end.
  const length = all & ((1 << (8 * count)) - 1);
  if (length < 0x80 || (count > 1 && length < 2 ** (8 * (count - 1)))) {
    throw r.error('invalid_value', 'the length is not in its shortest form, as DER requires', name);
  }
  return length;
}

/** Any element, read by its tag: constructed ones by their children, primitive ones by their value. */
function anyElement(r: ByteReader, depth: number, name: string): string {
  return element(r, depth, { name }, (end, tag) => {
    if (tag & 0x20) {
      const parts: string[] = [];
      while (r.offset < end) parts.push(anyElement(r, depth + 1, childName(r.peekUint8())));
      return parts.join(', ');
    }
    return primitive(r, end, tag);
  });
}

function primitive(r: ByteReader, end: number, tag: number): string {
  switch (tag) {
    case TAG.BOOLEAN:
      return boolean(r, end);
    case TAG.INTEGER:
      return integer(r, end);
    case TAG.BIT_STRING:
      return bitString(r, end);
    case TAG.NULL:
      if (end !== r.offset) throw r.error('invalid_value', 'NULL has no contents');
      return 'NULL';
    case TAG.OID:
      return objectIdentifier(r, end);
    case 0x17:
    case 0x18:
      return time(r, end, tag);
    case 0x0c:
    case 0x13:
    case 0x14:
    case 0x16:
    case 0x82: // dNSName [2] IA5String (RFC 5280 §4.2.1.6)
    case 0x81: // rfc822Name [1]
    case 0x86: // uniformResourceIdentifier [6]
      return text(r, end);
    case 0x87: // iPAddress [7]
      return ipAddress(r, end);
    default:
      return opaque(r, end);
  }
}

function boolean(r: ByteReader, end: number): string {
  if (end - r.offset !== 1) throw r.error('invalid_value', 'a BOOLEAN has one byte');
  return r.uint8({ name: 'value', value: (v) => (v === 0 ? 'FALSE' : 'TRUE'), spec: 'X.690 §8.2' }) === 0
    ? 'FALSE'
    : 'TRUE';
}

function integer(r: ByteReader, end: number, show?: (v: bigint) => string): string {
  if (end === r.offset) throw r.error('invalid_value', 'an INTEGER has at least one byte');
  const bytes = r.bytes(end - r.offset, {
    name: 'value',
    value: (b) => describeInteger(b, show),
    spec: 'X.690 §8.3',
  });
  return describeInteger(bytes, show);
}

function describeInteger(b: Uint8Array, show?: (v: bigint) => string): string {
  const v = BigInt('0x' + (toHex(b) || '0'));
  if (show) return show(v);
  return b.length <= 6 ? String(v) : toHex(b);
}

function bitString(r: ByteReader, end: number): string {
  if (end === r.offset) throw r.error('invalid_value', 'a BIT STRING has at least its unused-bits byte');
  const unused = r.uint8({ name: 'unused bits', note: 'bits of padding in the last byte', spec: 'X.690 §8.6.2.2' });
  if (unused > 7) throw r.error('invalid_value', `${unused} unused bits is impossible`);
  const n = end - r.offset;
  if (n === 0) return '(empty)';
  r.bytes(n, { name: 'bits', value: (b) => `${n} bytes: ${short(b)}` });
  return `${n} bytes`;
}

function objectIdentifier(r: ByteReader, end: number): string {
  const n = end - r.offset;
  if (n === 0) throw r.error('invalid_value', 'an OBJECT IDENTIFIER has at least one byte');
  const bytes = r.data.subarray(r.offset, end);
  const dotted = decodeOid(bytes);
  if (!dotted) throw r.error('invalid_value', 'not a well-formed OBJECT IDENTIFIER');
  const named = OID_NAMES[dotted] ? `${dotted} (${OID_NAMES[dotted]})` : dotted;
  r.bytes(n, { name: 'value', value: named, spec: 'X.690 §8.19' });
  return named;
}

function time(r: ByteReader, end: number, tag: number): string {
  if (tag !== 0x17 && tag !== 0x18) throw r.error('invalid_value', `expected a time, found ${tagName(tag)}`);
  const raw = fromUtf8(r.data.subarray(r.offset, end));
  // UTCTime YYMMDDHHMMSSZ (years 1950–2049), GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1–2).
  const m = (
    tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
  ).exec(raw);
  if (!m)
    throw r.error('invalid_value', `not a time in the form RFC 5280 requires: ${JSON.stringify(raw.slice(0, 20))}`);
  const year = tag === 0x17 ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  const iso = `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  r.bytes(end - r.offset, {
    name: 'value',
    value: iso,
    note: tag === 0x17 ? 'UTCTime' : 'GeneralizedTime',
    spec: 'RFC 5280 §4.1.2.5',
  });
  return iso;
}

function text(r: ByteReader, end: number): string {
  const s = fromUtf8(r.data.subarray(r.offset, end));
  r.bytes(end - r.offset, { name: 'value', value: JSON.stringify(s) });
  return s;
}

function ipAddress(r: ByteReader, end: number): string {
  const b = r.data.subarray(r.offset, end);
  const shown =
    b.length === 4
      ? Array.from(b).join('.')
      : b.length === 16
        ? (toHex(b).match(/..../g) ?? []).map((g) => g.replace(/^0+(?=.)/, '')).join(':')
        : toHex(b);
  r.bytes(end - r.offset, { name: 'value', value: shown, note: 'iPAddress', spec: 'RFC 5280 §4.2.1.6' });
  return shown;
}

function opaque(r: ByteReader, end: number): string {
  const n = end - r.offset;
  if (n === 0) return '(empty)';
  const b = r.bytes(n, { name: 'value', value: (v) => short(v) });
  return short(b);
}

function short(b: Uint8Array): string {
  return b.length <= 16 ? toHex(b) : `${toHex(b.subarray(0, 8))}…${toHex(b.subarray(b.length - 4))}`;
}

function tagName(tag: number): string {
  if (UNIVERSAL_NAMES[tag]) return UNIVERSAL_NAMES[tag];
  const cls = tag >> 6;
  const number = tag & 0x1f;
  const kind = tag & 0x20 ? 'constructed' : 'primitive';
  return cls === 2
    ? `[${number}] ${kind}`
    : `tag ${tag} (${['universal', 'application', 'context', 'private'][cls]}, ${kind})`;
}

function childName(tag: number | undefined): string {
  return tag === undefined ? 'element' : (UNIVERSAL_NAMES[tag] ?? tagName(tag));
}
