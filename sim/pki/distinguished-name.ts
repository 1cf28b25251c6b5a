/**
 * A DER Name (RFC 5280 §4.1.2.4) as text, read straight from its bytes and
 * written exactly as @peculiar/x509's `Name.toString()` writes it, so that
 * `trunklab analyze` names a captured certificate's subject and issuer without
 * loading the X.509 library (and the ASN.1 machinery under it) at all. The
 * lab and the other commands show the library's strings; these must be the
 * same, byte for byte (tests/pki/distinguished-name.test.ts compares them).
 *
 * That form is RFC 4514's in its attribute types and escapes, but not in its
 * order: RDNs are written in the order the DER holds them (RFC 4514 §2.1
 * reverses them), separated by ", ", the attributes of a multi-valued RDN
 * joined by "+" (§2.2). Each attribute is TYPE=VALUE (§2.3): the short names
 * below, else the dotted OID. A value in a string type the library decodes is
 * escaped as §2.4 asks (the library's way: `,+"\<>;`, a leading space or #,
 * a trailing space; and only the first CR, LF or TAB, as \XX); a value of any
 * other type is `#` and the hex of its whole DER encoding (§2.4).
 *
 *   Name ::= SEQUENCE OF RelativeDistinguishedName       (RDNSequence)
 *   RelativeDistinguishedName ::= SET OF AttributeTypeAndValue
 *   AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
 */
import { toHex } from '../wire/bytes';
import { readTlv } from './certificate-names';
import { decodeOid } from './oid';

/** The short names the library writes, by OID (its `names` table). */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
};

/** X.680 §8.4 universal tags of the string types a DirectoryString (RFC 5280 §4.1.2.4) or IA5String holds. */
const STRING_TAG = {
  UTF8String: 0x0c,
  PrintableString: 0x13,
  TeletexString: 0x14,
  IA5String: 0x16,
  UniversalString: 0x1c,
  BMPString: 0x1e,
} as const;

const OID_TAG = 0x06;
const SEQUENCE_TAG = 0x30;
const SET_TAG = 0x31;

/**
 * The Name whose DER (tag, length and contents) is `der`, as text; undefined
 * when the bytes are not a Name's shape (the library would refuse them).
 */
export function formatDistinguishedName(der: Uint8Array): string | undefined {
  const name = readTlv(der, 0, der.length);
  if (!name || name.tag !== SEQUENCE_TAG || name.end !== der.length) return undefined;
  const rdns: string[] = [];
  for (let at = name.start; at < name.end;) {
    const rdn = readTlv(der, at, name.end);
    if (!rdn || rdn.tag !== SET_TAG || rdn.start === rdn.end) return undefined;
    const attributes: string[] = [];
    for (let inner = rdn.start; inner < rdn.end;) {
      const attribute = readTlv(der, inner, rdn.end);
      if (!attribute || attribute.tag !== SEQUENCE_TAG) return undefined;
      const text = formatAttribute(der, attribute.start, attribute.end);
      if (text === undefined) return undefined;
      attributes.push(text);
      inner = attribute.end;
    }
    rdns.push(attributes.join('+'));
    at = rdn.end;
  }
  return rdns.join(', ');
}

/** One AttributeTypeAndValue's contents, [from, end), as TYPE=VALUE. */
function formatAttribute(der: Uint8Array, from: number, end: number): string | undefined {
  const type = readTlv(der, from, end);
  if (!type || type.tag !== OID_TAG) return undefined;
  const oid = decodeOid(der.subarray(type.start, type.end));
  const value = readTlv(der, type.end, end);
  if (oid === undefined || !value || value.end !== end) return undefined;
  const content = der.subarray(value.start, value.end);
  const text = decodeString(value.tag, content);
  if (text === null) return undefined;
  const written = text === undefined ? `#${toHex(der.subarray(value.header, value.end))}` : escapeValue(text);
  return `${SHORT_NAMES[oid] ?? oid}=${written}`;
}

/**
 * A string value's text as the library decodes it: UTF8String as UTF-8 (raw
 * bytes as Latin-1 when they are not UTF-8), BMPString as UTF-16BE,
 * UniversalString as UTF-32BE taken one UTF-16 unit per character, the other
 * string types one byte per character. Undefined for any other type, which
 * is then written as hex; null for a BMPString or UniversalString whose
 * length is not a whole number of characters, which the library refuses.
 */
function decodeString(tag: number, content: Uint8Array): string | undefined | null {
  switch (tag) {
    case STRING_TAG.UTF8String:
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
      } catch {
        return latin1(content);
      }
    case STRING_TAG.BMPString: {
      if (content.length % 2 !== 0) return null;
      let text = '';
      for (let i = 0; i < content.length; i += 2) text += String.fromCharCode((content[i] << 8) | content[i + 1]);
      return text;
    }
    case STRING_TAG.UniversalString: {
      if (content.length % 4 !== 0) return null;
      let text = '';
      // The library keeps only the low 16 bits of each 32-bit character.
      for (let i = 0; i < content.length; i += 4) text += String.fromCharCode((content[i + 2] << 8) | content[i + 3]);
      return text;
    }
    case STRING_TAG.PrintableString:
    case STRING_TAG.TeletexString:
    case STRING_TAG.IA5String:
      return latin1(content);
    default:
      return undefined;
  }
}

function latin1(content: Uint8Array): string {
  let text = '';
  for (const byte of content) text += String.fromCharCode(byte);
  return text;
}

/** RFC 4514 §2.4 escapes, as the library applies them (the CR, LF or TAB rule only once). */
function escapeValue(text: string): string {
  return text
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}
