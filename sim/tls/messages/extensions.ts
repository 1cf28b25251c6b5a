/**
 * Hello extensions (RFC 8446 §4.2), written and read with every byte named:
 *
 * - server_name (RFC 6066 §3): the host name the client wants, in clear.
 * - supported_groups (RFC 8446 §4.2.7), ec_point_formats (RFC 8422 §5.1.2).
 * - signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3).
 * - supported_versions (RFC 8446 §4.2.1): how TLS 1.3 is really negotiated.
 * - key_share (RFC 8446 §4.2.8): the (EC)DHE public keys.
 * - extended_master_secret (RFC 7627 §5.1), renegotiation_info (RFC 5746 §3.2).
 * - psk_key_exchange_modes (RFC 8446 §4.2.9), certificate_authorities (§4.2.4).
 *
 * Others are kept as named opaque data. The same type twice in one block is
 * an illegal_parameter (RFC 8446 §4.2).
 */
import type { ByteReader } from '../../wire/reader';
import type { ByteWriter } from '../../wire/writer';
import { toHex } from '../../wire/bytes';
import {
  EXTENSION_TYPE,
  describeExtension,
  describeGroup,
  describeSignatureScheme,
  describeVersion,
  type ExtensionName,
} from '../codepoints';
import { fail } from '../alert';

export type ExtensionContext =
  | 'client_hello'
  | 'server_hello'
  | 'hello_retry_request'
  | 'encrypted_extensions'
  | 'certificate_request'
  | 'certificate'
  | 'new_session_ticket';

export interface KeyShareEntry {
  group: number;
  keyExchange: Uint8Array;
}

/** The extensions this engine reads or writes, each absent unless present. */
export interface Extensions {
  serverName?: string;
  /** Present and empty in a ServerHello or EncryptedExtensions: the server used the name (RFC 6066 §3). */
  serverNameAcknowledged?: boolean;
  supportedGroups?: number[];
  ecPointFormats?: number[];
  signatureAlgorithms?: number[];
  signatureAlgorithmsCert?: number[];
  /** ClientHello: the versions offered. */
  supportedVersions?: number[];
  /** ServerHello: the version chosen. */
  selectedVersion?: number;
  /** ClientHello: one share per group. */
  keyShares?: KeyShareEntry[];
  /** ServerHello: the server's share. */
  keyShare?: KeyShareEntry;
  /** HelloRetryRequest: the group the server wants a share for. */
  selectedGroup?: number;
  extendedMasterSecret?: boolean;
  renegotiationInfo?: Uint8Array;
  pskKeyExchangeModes?: number[];
  /** The distinguished names of acceptable CAs (DER), from certificate_authorities. */
  certificateAuthorities?: Uint8Array[];
  /** Every extension type in the block, in order. */
  types: number[];
}

const SPEC: Partial<Record<ExtensionName, string>> = {
  server_name: 'RFC 6066 §3',
  supported_groups: 'RFC 8446 §4.2.7',
  ec_point_formats: 'RFC 8422 §5.1.2',
  signature_algorithms: 'RFC 8446 §4.2.3',
  signature_algorithms_cert: 'RFC 8446 §4.2.3',
  supported_versions: 'RFC 8446 §4.2.1',
  key_share: 'RFC 8446 §4.2.8',
  extended_master_secret: 'RFC 7627 §5.1',
  renegotiation_info: 'RFC 5746 §3.2',
  psk_key_exchange_modes: 'RFC 8446 §4.2.9',
  certificate_authorities: 'RFC 8446 §4.2.4',
  session_ticket: 'RFC 5077 §3.2',
  record_size_limit: 'RFC 8449 §4',
  encrypt_then_mac: 'RFC 7366 §2',
  status_request: 'RFC 6066 §8',
  application_layer_protocol_negotiation: 'RFC 7301 §3.1',
  padding: 'RFC 7685 §3',
  post_handshake_auth: 'RFC 8446 §4.2.6',
  signed_certificate_timestamp: 'RFC 6962 §3.3.1',
};

const NOTE: Partial<Record<ExtensionName, string>> = {
  server_name: 'The host name the client wants to reach, sent in clear (SNI).',
  supported_groups: 'The key-exchange groups the sender supports, most preferred first.',
  ec_point_formats: 'TLS 1.2 ECDHE: points travel uncompressed.',
  signature_algorithms: 'The signature schemes the sender accepts in CertificateVerify and ServerKeyExchange.',
  signature_algorithms_cert: 'The signature schemes the sender accepts in certificates.',
  supported_versions: 'How TLS 1.3 is negotiated: the legacy version fields stay at TLS 1.2.',
  key_share: 'Ephemeral (EC)DHE public keys: the heart of forward secrecy.',
  extended_master_secret: 'Binds the master secret to the whole handshake (defeats the triple-handshake attack).',
  renegotiation_info: 'Secure renegotiation: empty on a first handshake.',
  psk_key_exchange_modes: 'Which resumption modes the client would accept.',
  certificate_authorities: 'The CAs whose certificates the sender would accept.',
  session_ticket: 'Session ticket resumption (TLS 1.2).',
  encrypt_then_mac: 'Asks for encrypt-then-MAC on CBC suites.',
  record_size_limit: 'The largest record the sender will accept.',
  post_handshake_auth: 'The client would answer a certificate request after the handshake.',
};

const POINT_FORMATS: Record<number, string> = {
  0: 'uncompressed',
  1: 'ansiX962_compressed_prime',
  2: 'ansiX962_compressed_char2',
};
const PSK_MODES: Record<number, string> = { 0: 'psk_ke', 1: 'psk_dhe_ke' };

function groupNote(group: number): string {
  return group === 0x001d
    ? 'x25519: a 32-byte Curve25519 public key (RFC 7748).'
    : group === 0x0017
      ? 'secp256r1: an uncompressed P-256 point, 0x04 || X || Y.'
      : 'key exchange value for this group';
}

/** Writes an extensions block (`Extension extensions<0..2^16-1>`) with the extensions given, in a fixed order. */
export function writeExtensions(w: ByteWriter, e: Omit<Extensions, 'types'>, _context: ExtensionContext): void {
  const block = w.lengthPrefixed(
    2,
    { name: 'extensions length', value: (n) => `${n} bytes` },
    { name: 'extensions', spec: 'RFC 8446 §4.2' },
  );
  const ext = (name: ExtensionName, body: () => void, value?: string) => {
    const spec = SPEC[name];
    const done = w.group({ name, value, note: NOTE[name], spec });
    w.uint16(EXTENSION_TYPE[name], { name: 'extension_type', value: describeExtension, spec: 'RFC 8446 §4.2' });
    const data = w.lengthPrefixed(
      2,
      { name: 'extension_data length', value: (n) => `${n} bytes` },
      { name: 'extension_data', spec },
    );
    body();
    data();
    done();
  };

  if (e.serverName !== undefined) {
    ext(
      'server_name',
      () => {
        const list = w.lengthPrefixed(
          2,
          { name: 'server_name_list length' },
          { name: 'server_name_list', spec: 'RFC 6066 §3' },
        );
        w.uint8(0, { name: 'name_type', value: 'host_name (0)', spec: 'RFC 6066 §3' });
        const host = w.lengthPrefixed(2, { name: 'HostName length' }, { name: 'HostName', spec: 'RFC 6066 §3' });
        w.text(e.serverName!, {
          name: 'host_name',
          value: e.serverName,
          note: 'Visible to anyone on the path.',
          spec: 'RFC 6066 §3',
        });
        host();
        list();
      },
      e.serverName,
    );
  } else if (e.serverNameAcknowledged) {
    ext('server_name', () => {}, 'acknowledged (empty)');
  }
  if (e.ecPointFormats) {
    ext('ec_point_formats', () => {
      const list = w.lengthPrefixed(
        1,
        { name: 'ec_point_format_list length' },
        { name: 'ec_point_format_list', spec: 'RFC 8422 §5.1.2' },
      );
      for (const f of e.ecPointFormats!)
        w.uint8(f, { name: 'ECPointFormat', value: (v) => `${POINT_FORMATS[v] ?? 'unknown'} (${v})` });
      list();
    });
  }
  if (e.supportedGroups) {
    ext('supported_groups', () => {
      const list = w.lengthPrefixed(
        2,
        { name: 'named_group_list length' },
        { name: 'named_group_list', spec: 'RFC 8446 §4.2.7' },
      );
      for (const g of e.supportedGroups!)
        w.uint16(g, { name: 'NamedGroup', value: describeGroup, spec: 'RFC 8446 §4.2.7' });
      list();
    });
  }
  if (e.signatureAlgorithms) {
    ext('signature_algorithms', () => writeSchemes(w, e.signatureAlgorithms!));
  }
  if (e.signatureAlgorithmsCert) {
    ext('signature_algorithms_cert', () => writeSchemes(w, e.signatureAlgorithmsCert!));
  }
  if (e.certificateAuthorities) {
    ext('certificate_authorities', () => {
      const list = w.lengthPrefixed(
        2,
        { name: 'authorities length' },
        { name: 'authorities', spec: 'RFC 8446 §4.2.4' },
      );
      for (const dn of e.certificateAuthorities!) {
        const one = w.lengthPrefixed(2, { name: 'DistinguishedName length' }, { name: 'DistinguishedName' });
        w.bytes(dn, { name: 'DER', value: `${dn.length} bytes`, note: 'An X.501 Name, DER-encoded.' });
        one();
      }
      list();
    });
  }
  if (e.extendedMasterSecret) ext('extended_master_secret', () => {}, 'empty: supported');
  if (e.renegotiationInfo) {
    ext('renegotiation_info', () => {
      const ri = w.lengthPrefixed(
        1,
        { name: 'renegotiated_connection length' },
        { name: 'renegotiated_connection', spec: 'RFC 5746 §3.2' },
      );
      if (e.renegotiationInfo!.length > 0)
        w.bytes(e.renegotiationInfo!, { name: 'verify_data', value: toHex(e.renegotiationInfo!) });
      ri();
    });
  }
  if (e.supportedVersions) {
    ext('supported_versions', () => {
      const list = w.lengthPrefixed(1, { name: 'versions length' }, { name: 'versions', spec: 'RFC 8446 §4.2.1' });
      for (const v of e.supportedVersions!) w.uint16(v, { name: 'ProtocolVersion', value: describeVersion });
      list();
    });
  }
  if (e.selectedVersion !== undefined) {
    ext(
      'supported_versions',
      () =>
        w.uint16(e.selectedVersion!, {
          name: 'selected_version',
          value: describeVersion,
          note: 'The version really negotiated.',
          spec: 'RFC 8446 §4.2.1',
        }),
      describeVersion(e.selectedVersion),
    );
  }
  if (e.pskKeyExchangeModes) {
    ext('psk_key_exchange_modes', () => {
      const list = w.lengthPrefixed(1, { name: 'ke_modes length' }, { name: 'ke_modes', spec: 'RFC 8446 §4.2.9' });
      for (const m of e.pskKeyExchangeModes!)
        w.uint8(m, { name: 'PskKeyExchangeMode', value: (v) => `${PSK_MODES[v] ?? 'unknown'} (${v})` });
      list();
    });
  }
  if (e.keyShares) {
    ext('key_share', () => {
      const list = w.lengthPrefixed(
        2,
        { name: 'client_shares length' },
        { name: 'client_shares', spec: 'RFC 8446 §4.2.8' },
      );
      for (const s of e.keyShares!) writeKeyShareEntry(w, s);
      list();
    });
  }
  if (e.keyShare) {
    ext('key_share', () => writeKeyShareEntry(w, e.keyShare!), describeGroup(e.keyShare.group));
  }
  if (e.selectedGroup !== undefined) {
    ext('key_share', () =>
      w.uint16(e.selectedGroup!, { name: 'selected_group', value: describeGroup, spec: 'RFC 8446 §4.2.8' }),
    );
  }
  block();
}

function writeSchemes(w: ByteWriter, schemes: number[]): void {
  const list = w.lengthPrefixed(
    2,
    { name: 'supported_signature_algorithms length' },
    { name: 'supported_signature_algorithms', spec: 'RFC 8446 §4.2.3' },
  );
  for (const s of schemes)
    w.uint16(s, { name: 'SignatureScheme', value: describeSignatureScheme, spec: 'RFC 8446 §4.2.3' });
  list();
}

function writeKeyShareEntry(w: ByteWriter, s: KeyShareEntry): void {
  const done = w.group({ name: 'KeyShareEntry', value: describeGroup(s.group), spec: 'RFC 8446 §4.2.8' });
  w.uint16(s.group, { name: 'group', value: describeGroup, spec: 'RFC 8446 §4.2.8' });
  const kx = w.lengthPrefixed(2, { name: 'key_exchange length' }, { name: 'key_exchange', spec: 'RFC 8446 §4.2.8.2' });
  w.bytes(s.keyExchange, {
    name: 'public key',
    value: toHex(s.keyExchange),
    note: groupNote(s.group),
    spec: 'RFC 8446 §4.2.8.2',
  });
  kx();
  done();
}

/** Reads an extensions block. Unknown extensions are kept as named opaque data. */
export function readExtensions(r: ByteReader, context: ExtensionContext): Extensions {
  const out: Extensions = { types: [] };
  const block = r.lengthPrefixed(
    2,
    { name: 'extensions length', value: (n) => `${n} bytes` },
    { name: 'extensions', spec: 'RFC 8446 §4.2' },
  );
  while (r.remaining > 0) {
    const done = r.group({ name: 'Extension', spec: 'RFC 8446 §4.2' });
    const type = r.uint16({ name: 'extension_type', value: describeExtension, spec: 'RFC 8446 §4.2' });
    if (out.types.includes(type)) {
      throw fail('illegal_parameter', `${describeExtension(type)} appears twice in one ${context} (RFC 8446 §4.2)`);
    }
    out.types.push(type);
    const name = (Object.keys(EXTENSION_TYPE) as ExtensionName[]).find((k) => EXTENSION_TYPE[k] === type);
    const spec = name ? SPEC[name] : undefined;
    const data = r.lengthPrefixed(
      2,
      { name: 'extension_data length', value: (n) => `${n} bytes` },
      { name: 'extension_data', spec },
    );
    const value = readExtensionData(r, type, context, out);
    data();
    done({
      name: name ?? `unknown extension ${type}`,
      value,
      note: name ? NOTE[name] : 'Not understood here; ignored (RFC 8446 §4.2).',
    });
  }
  block();
  return out;
}

function readExtensionData(
  r: ByteReader,
  type: number,
  context: ExtensionContext,
  out: Extensions,
): string | undefined {
  switch (type) {
    case EXTENSION_TYPE.server_name: {
      if (r.remaining === 0) {
        out.serverNameAcknowledged = true;
        return 'acknowledged (empty)';
      }
      const list = r.lengthPrefixed(
        2,
        { name: 'server_name_list length' },
        { name: 'server_name_list', spec: 'RFC 6066 §3' },
      );
      while (r.remaining > 0) {
        const nameType = r.uint8({ name: 'name_type', value: (v) => (v === 0 ? 'host_name (0)' : `unknown (${v})`) });
        const host = r.lengthPrefixed(2, { name: 'HostName length' }, { name: 'HostName' });
        const text = r.text(r.remaining, { name: 'host_name', spec: 'RFC 6066 §3' });
        host();
        if (nameType === 0 && out.serverName === undefined) out.serverName = text;
      }
      list();
      return out.serverName;
    }
    case EXTENSION_TYPE.supported_groups: {
      const list = r.lengthPrefixed(
        2,
        { name: 'named_group_list length' },
        { name: 'named_group_list', spec: 'RFC 8446 §4.2.7' },
      );
      out.supportedGroups = [];
      while (r.remaining > 0) out.supportedGroups.push(r.uint16({ name: 'NamedGroup', value: describeGroup }));
      list();
      return `${out.supportedGroups.length} groups`;
    }
    case EXTENSION_TYPE.ec_point_formats: {
      const list = r.lengthPrefixed(
        1,
        { name: 'ec_point_format_list length' },
        { name: 'ec_point_format_list', spec: 'RFC 8422 §5.1.2' },
      );
      out.ecPointFormats = [];
      while (r.remaining > 0)
        out.ecPointFormats.push(
          r.uint8({ name: 'ECPointFormat', value: (v) => `${POINT_FORMATS[v] ?? 'unknown'} (${v})` }),
        );
      list();
      return undefined;
    }
    case EXTENSION_TYPE.signature_algorithms:
    case EXTENSION_TYPE.signature_algorithms_cert: {
      const list = r.lengthPrefixed(
        2,
        { name: 'supported_signature_algorithms length' },
        { name: 'supported_signature_algorithms', spec: 'RFC 8446 §4.2.3' },
      );
      const schemes: number[] = [];
      while (r.remaining > 0) schemes.push(r.uint16({ name: 'SignatureScheme', value: describeSignatureScheme }));
      list();
      if (type === EXTENSION_TYPE.signature_algorithms) out.signatureAlgorithms = schemes;
      else out.signatureAlgorithmsCert = schemes;
      return `${schemes.length} schemes`;
    }
    case EXTENSION_TYPE.supported_versions: {
      if (context === 'client_hello') {
        const list = r.lengthPrefixed(1, { name: 'versions length' }, { name: 'versions', spec: 'RFC 8446 §4.2.1' });
        out.supportedVersions = [];
        while (r.remaining > 0)
          out.supportedVersions.push(r.uint16({ name: 'ProtocolVersion', value: describeVersion }));
        list();
        return out.supportedVersions.map(describeVersion).join(', ');
      }
      out.selectedVersion = r.uint16({ name: 'selected_version', value: describeVersion, spec: 'RFC 8446 §4.2.1' });
      return describeVersion(out.selectedVersion);
    }
    case EXTENSION_TYPE.key_share: {
      if (context === 'client_hello') {
        const list = r.lengthPrefixed(
          2,
          { name: 'client_shares length' },
          { name: 'client_shares', spec: 'RFC 8446 §4.2.8' },
        );
        out.keyShares = [];
        while (r.remaining > 0) out.keyShares.push(readKeyShareEntry(r));
        list();
        return out.keyShares.map((s) => describeGroup(s.group)).join(', ');
      }
      if (context === 'hello_retry_request') {
        out.selectedGroup = r.uint16({ name: 'selected_group', value: describeGroup, spec: 'RFC 8446 §4.2.8' });
        return describeGroup(out.selectedGroup);
      }
      out.keyShare = readKeyShareEntry(r);
      return describeGroup(out.keyShare.group);
    }
    case EXTENSION_TYPE.extended_master_secret:
      if (r.remaining !== 0) throw r.error('invalid_value', 'extended_master_secret must be empty');
      out.extendedMasterSecret = true;
      return 'empty: supported';
    case EXTENSION_TYPE.renegotiation_info: {
      const ri = r.lengthPrefixed(
        1,
        { name: 'renegotiated_connection length' },
        { name: 'renegotiated_connection', spec: 'RFC 5746 §3.2' },
      );
      out.renegotiationInfo = r.rest({ name: 'verify_data', value: toHex });
      ri();
      return out.renegotiationInfo.length === 0 ? 'empty: first handshake' : undefined;
    }
    case EXTENSION_TYPE.psk_key_exchange_modes: {
      const list = r.lengthPrefixed(1, { name: 'ke_modes length' }, { name: 'ke_modes', spec: 'RFC 8446 §4.2.9' });
      out.pskKeyExchangeModes = [];
      while (r.remaining > 0)
        out.pskKeyExchangeModes.push(
          r.uint8({ name: 'PskKeyExchangeMode', value: (v) => `${PSK_MODES[v] ?? 'unknown'} (${v})` }),
        );
      list();
      return undefined;
    }
    case EXTENSION_TYPE.certificate_authorities: {
      const list = r.lengthPrefixed(
        2,
        { name: 'authorities length' },
        { name: 'authorities', spec: 'RFC 8446 §4.2.4' },
      );
      out.certificateAuthorities = [];
      while (r.remaining > 0) {
        const one = r.lengthPrefixed(2, { name: 'DistinguishedName length' }, { name: 'DistinguishedName' });
        out.certificateAuthorities.push(r.rest({ name: 'DER', value: (b) => `${b.length} bytes` }));
        one();
      }
      list();
      return `${out.certificateAuthorities.length} CAs`;
    }
    default:
      if (r.remaining > 0) r.rest({ name: 'data', value: (b) => `${b.length} bytes`, note: 'Not interpreted here.' });
      return undefined;
  }
}

function readKeyShareEntry(r: ByteReader): KeyShareEntry {
  const done = r.group({ name: 'KeyShareEntry', spec: 'RFC 8446 §4.2.8' });
  const group = r.uint16({ name: 'group', value: describeGroup, spec: 'RFC 8446 §4.2.8' });
  const kx = r.lengthPrefixed(2, { name: 'key_exchange length' }, { name: 'key_exchange', spec: 'RFC 8446 §4.2.8.2' });
  const keyExchange = r.rest({ name: 'public key', value: toHex, note: groupNote(group), spec: 'RFC 8446 §4.2.8.2' });
  kx();
  done({ value: describeGroup(group) });
  return { group, keyExchange };
}
