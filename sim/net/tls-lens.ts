/**
 * What an eavesdropper reads in one direction of a TLS stream: the record
 * layer's framing always (RFC 8446 §5.1, RFC 5246 §6.2.1: content type,
 * version, length), and the handshake messages that travel in clear:
 *
 * - ClientHello: the server name (SNI, RFC 6066 §3), versions, cipher suites
 *   and groups offered;
 * - ServerHello: the version and cipher suite chosen;
 * - TLS 1.2 only (RFC 5246 §7.4): the certificates of the server, and of the
 *   client when it sends one, with their subjects and issuers; the key
 *   exchange parameters; whether the server asks for a client certificate;
 * - alerts sent before encryption starts.
 *
 * After a ChangeCipherSpec in a direction, that direction's records are
 * encrypted (TLS 1.2, RFC 5246 §7.1); TLS 1.3 sends everything after
 * ServerHello as application_data records (RFC 8446 §5.2), so only sizes
 * and timing remain. The lens computes all of this from the bytes, with the
 * TLS engine's own parsers.
 */
import type { DecodedLayer } from '../timeline';
import { toHex } from '../wire/bytes';
import { isParseError } from '../wire/parse-error';
import { TlsFailure, readAlert } from '../tls/alert';
import {
  CONTENT_TYPE,
  HANDSHAKE_TYPE,
  contentTypeName,
  describeGroup,
  describeVersion,
  handshakeTypeName,
} from '../tls/codepoints';
import { describeSuite } from '../tls/cipher-suites';
import { HandshakeReassembler, type HandshakeMessage } from '../tls/handshake';
import { readClientHello, readServerHello, isHelloRetryRequest } from '../tls/messages/hello';
import { readCertificate } from '../tls/messages/certificate';
import { parseCertificate } from '../pki/certificate';
import type { Fact, Revelation, StreamLens } from './tap';

const RECORD = 'TLS record header (RFC 8446 §5.1)';
/** The largest record a TLS 1.2 peer may send (RFC 5246 §6.2.3): beyond it, this is not TLS. */
const MAX_RECORD = 2 ** 14 + 2048;

export class TlsLens implements StreamLens {
  private buffer = new Uint8Array(0);
  private readonly handshake = new HandshakeReassembler();
  /** This direction has sent ChangeCipherSpec: what follows is encrypted. */
  private encrypting = false;
  private notTls = false;

  constructor(
    /** Who sends this direction, for the sentences: `PBX`, `SBC`. */
    private readonly sender: string,
  ) {}

  get partial(): 'all' | 'metadata' | undefined {
    if (this.notTls) return 'metadata';
    if (this.buffer.length === 0) return this.handshake.pending > 0 ? 'all' : undefined;
    const type = this.buffer[0];
    return type === CONTENT_TYPE.application_data || this.encrypting ? 'metadata' : 'all';
  }

  read(bytes: Uint8Array): Revelation[] {
    if (this.notTls) return [];
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    const out: Revelation[] = [];
    let at = 0;
    while (joined.length - at >= 5) {
      const type = joined[at];
      const version = (joined[at + 1] << 8) | joined[at + 2];
      const length = (joined[at + 3] << 8) | joined[at + 4];
      if (!contentTypeName(type) || joined[at + 1] !== 3 || length > MAX_RECORD) {
        this.notTls = true;
        this.buffer = new Uint8Array(0);
        out.push({
          access: 'metadata',
          summary: `Bytes that are not a TLS record (first byte 0x${type.toString(16).padStart(2, '0')})`,
          facts: [
            { name: 'Not TLS', value: `${this.sender} sent bytes that do not frame as TLS records`, source: RECORD },
          ],
          layers: [],
        });
        return out;
      }
      if (joined.length - at < 5 + length) break;
      const fragment = joined.subarray(at + 5, at + 5 + length);
      out.push(...this.record(type, version, fragment));
      at += 5 + length;
    }
    this.buffer = joined.slice(at);
    return out;
  }

  private record(type: number, version: number, fragment: Uint8Array): Revelation[] {
    const name = contentTypeName(type)!;
    const framing: Fact = {
      name: 'TLS record',
      value: `${this.sender}: ${name}, ${fragment.length} bytes, ${describeVersion(version)}`,
      source: RECORD,
    };
    if (type === CONTENT_TYPE.application_data || (this.encrypting && type !== CONTENT_TYPE.change_cipher_spec)) {
      const what = type === CONTENT_TYPE.application_data ? 'Encrypted TLS record' : `Encrypted TLS ${name} record`;
      return [
        {
          access: 'metadata',
          summary: `${what} from the ${this.sender}, ${fragment.length} bytes: only its size and timing show`,
          facts: [framing],
          layers: [],
        },
      ];
    }
    if (type === CONTENT_TYPE.change_cipher_spec) {
      // In TLS 1.3 this record is only for middleboxes (RFC 8446 §D.4); in TLS 1.2 the sender encrypts from here on.
      this.encrypting = true;
      return [
        {
          access: 'all',
          summary: `ChangeCipherSpec from the ${this.sender}: its records are encrypted from here on`,
          facts: [framing],
          layers: [],
        },
      ];
    }
    if (type === CONTENT_TYPE.alert) {
      try {
        const { alert, fields } = readAlert(fragment);
        return [
          {
            access: 'all',
            summary: `TLS alert in clear from the ${this.sender}: ${alert.name} (${alert.level})`,
            facts: [
              framing,
              { name: 'TLS alert', value: `${alert.name} from the ${this.sender}`, source: 'Alert (RFC 8446 §6)' },
            ],
            layers: [{ title: `TLS alert ${alert.name} (in clear)`, bytes: toHex(fragment), fields }],
          },
        ];
      } catch (e) {
        if (!isParseError(e) && !(e instanceof TlsFailure)) throw e;
        return [
          { access: 'all', summary: `Malformed TLS alert from the ${this.sender}`, facts: [framing], layers: [] },
        ];
      }
    }
    if (type !== CONTENT_TYPE.handshake) {
      return [{ access: 'all', summary: `TLS ${name} record from the ${this.sender}`, facts: [framing], layers: [] }];
    }
    const out: Revelation[] = [];
    try {
      this.handshake.push(fragment);
      for (let m = this.handshake.next(); m; m = this.handshake.next()) out.push(this.message(m));
    } catch (e) {
      if (!isParseError(e) && !(e instanceof TlsFailure)) throw e;
      out.push({ access: 'all', summary: `Unreadable handshake data from the ${this.sender}`, facts: [], layers: [] });
    }
    if (out.length === 0) {
      out.push({
        access: 'all',
        summary: `Part of a handshake message from the ${this.sender} (in clear)`,
        facts: [],
        layers: [],
      });
    }
    out[0].facts.unshift(framing);
    return out;
  }

  private message(m: HandshakeMessage): Revelation {
    const typeName = handshakeTypeName(m.type) ?? `handshake type ${m.type}`;
    try {
      switch (m.type) {
        case HANDSHAKE_TYPE.client_hello:
          return this.clientHello(m);
        case HANDSHAKE_TYPE.server_hello:
          return this.serverHello(m);
        case HANDSHAKE_TYPE.certificate:
          return this.certificate(m);
        case HANDSHAKE_TYPE.certificate_request:
          return this.simple('CertificateRequest: the server asks for a client certificate', {
            name: 'Client certificate requested',
            value: 'yes',
            source: 'CertificateRequest (RFC 5246 §7.4.4)',
          });
        case HANDSHAKE_TYPE.server_key_exchange:
          return this.simple('ServerKeyExchange: the server’s ephemeral key, signed', {
            name: 'Key exchange',
            value: keyExchangeGroup(m.bytes),
            source: 'ServerKeyExchange (RFC 8422 §5.4)',
          });
        case HANDSHAKE_TYPE.client_key_exchange:
          return this.simple(`ClientKeyExchange from the ${this.sender}: ${m.bytes.length - 4} bytes of key exchange`, {
            name: 'ClientKeyExchange',
            value: `${m.bytes.length - 4} bytes`,
            source: 'ClientKeyExchange (RFC 5246 §7.4.7)',
          });
        default:
          return this.simple(`${typeName} from the ${this.sender} (in clear)`);
      }
    } catch (e) {
      if (!isParseError(e) && !(e instanceof TlsFailure)) throw e;
      return { access: 'all', summary: `Malformed ${typeName} from the ${this.sender}`, facts: [], layers: [] };
    }
  }

  private simple(summary: string, fact?: Fact): Revelation {
    return { access: 'all', summary, facts: fact ? [fact] : [], layers: [] };
  }

  private clientHello(m: HandshakeMessage): Revelation {
    const { value: ch, fields } = readClientHello(m);
    const facts: Fact[] = [];
    const source = (what: string, spec: string) => `ClientHello ${what} (${spec})`;
    if (ch.extensions.serverName) {
      facts.push({
        name: 'TLS server name (SNI)',
        value: ch.extensions.serverName,
        source: source('server_name', 'RFC 6066 §3'),
      });
    }
    const versions = ch.extensions.supportedVersions ?? [ch.legacyVersion];
    facts.push({
      name: 'TLS versions offered',
      value: versions.map(describeVersion).join(', '),
      source: source('supported_versions', 'RFC 8446 §4.2.1'),
    });
    facts.push({
      name: 'Cipher suites offered',
      value: ch.cipherSuites.map(describeSuite).join(', '),
      source: source('cipher_suites', 'RFC 8446 §4.1.2'),
    });
    if (ch.extensions.supportedGroups) {
      facts.push({
        name: 'Groups offered',
        value: ch.extensions.supportedGroups.map(describeGroup).join(', '),
        source: source('supported_groups', 'RFC 8446 §4.2.7'),
      });
    }
    return {
      access: 'all',
      summary: `ClientHello in clear${ch.extensions.serverName ? `: SNI ${ch.extensions.serverName}` : ''}, ${ch.cipherSuites.length} cipher suites offered`,
      facts,
      layers: [layer('TLS ClientHello (in clear)', m, fields)],
    };
  }

  private serverHello(m: HandshakeMessage): Revelation {
    const { value: sh, fields } = readServerHello(m);
    const version = sh.extensions.selectedVersion ?? sh.legacyVersion;
    const retry = isHelloRetryRequest(sh);
    const facts: Fact[] = [
      { name: 'TLS version chosen', value: describeVersion(version), source: 'ServerHello (RFC 8446 §4.1.3)' },
      {
        name: 'Cipher suite chosen',
        value: describeSuite(sh.cipherSuite),
        source: 'ServerHello cipher_suite (RFC 8446 §4.1.3)',
      },
    ];
    const after =
      version === 0x0304
        ? 'everything after it is encrypted, certificates included'
        : 'the certificates that follow travel in clear';
    return {
      access: 'all',
      summary: retry
        ? `HelloRetryRequest in clear: the server wants another key share`
        : `ServerHello in clear: ${describeVersion(version)}, ${describeSuite(sh.cipherSuite)}; ${after}`,
      facts,
      layers: [layer(retry ? 'TLS HelloRetryRequest (in clear)' : 'TLS ServerHello (in clear)', m, fields)],
    };
  }

  private certificate(m: HandshakeMessage): Revelation {
    // Only TLS 1.2 sends Certificate in clear; a plaintext one here is TLS 1.2's (RFC 5246 §7.4.2, §7.4.6).
    const { value, fields } = readCertificate(m, true);
    const facts: Fact[] = [];
    const names: string[] = [];
    value.chain.forEach((der, i) => {
      const where = `Certificate ${i === 0 ? 'leaf' : `CA ${i}`} (RFC 5246 §7.4.2, RFC 5280 §4.1)`;
      try {
        const c = parseCertificate(der, `certificate ${i + 1}`);
        names.push(c.subject);
        facts.push({ name: `${this.sender} certificate ${i + 1} subject`, value: c.subject, source: where });
        facts.push({ name: `${this.sender} certificate ${i + 1} issuer`, value: c.issuer, source: where });
        const san = c.extensions.find((x) => x.type === '2.5.29.17');
        if (san && i === 0) {
          facts.push({
            name: `${this.sender} certificate names`,
            value: sanNames(san),
            source: `${where}, subjectAltName`,
          });
        }
      } catch (e) {
        if (!isParseError(e)) throw e;
        facts.push({
          name: `${this.sender} certificate ${i + 1}`,
          value: `${der.length} bytes, unreadable`,
          source: where,
        });
      }
    });
    return {
      access: 'all',
      summary:
        value.chain.length === 0
          ? `Certificate from the ${this.sender}: empty (it has none to send)`
          : `Certificate chain from the ${this.sender} in clear: ${names[0] ?? 'unreadable'}${value.chain.length > 1 ? ` and ${value.chain.length - 1} more` : ''}`,
      facts,
      layers: [layer(`TLS Certificate from the ${this.sender} (in clear)`, m, fields)],
    };
  }
}

function layer(title: string, m: HandshakeMessage, fields: DecodedLayer['fields']): DecodedLayer {
  return { title, bytes: toHex(m.bytes), fields };
}

/** The named curve of an ECDHE ServerKeyExchange: curve_type 3 (named_curve), then the group (RFC 8422 §5.4). */
function keyExchangeGroup(message: Uint8Array): string {
  if (message.length >= 7 && message[4] === 3) return `ECDHE, ${describeGroup((message[5] << 8) | message[6])}`;
  return 'not ECDHE';
}

function sanNames(ext: { toString(format?: 'text'): string }): string {
  return ext
    .toString('text')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(DNS|IP)/i.test(l))
    .map((l) => l.replace(/^DNS:\s*/i, '').replace(/^IP:\s*/i, ''))
    .join(', ');
}
