/**
 * Reading a captured TLS connection passively, with the secrets of a key log
 * (key-log-secrets.ts) in place of the endpoints' private keys: what
 * Wireshark does with `tls.keylog_file`, done with the lab's own TLS code.
 *
 * Each direction's byte stream is cut into records (RFC 8446 §5.1, RFC 5246
 * §6.2.1) and each record is explained, and opened when it can be:
 *
 * 1. Before keys, records travel in clear: the handshake messages are read
 *    with the engine's readers, ClientHello.random names the connection.
 * 2. ServerHello fixes the version and cipher suite (RFC 8446 §4.1.3).
 *    - TLS 1.2: the key log's CLIENT_RANDOM line holds the master secret
 *      (RFC 5246 §8.1, or the extended one of RFC 7627 §4: the key block is
 *      derived from it the same way). The key block (§6.3) gives both
 *      directions' keys, used from each side's ChangeCipherSpec on (§7.1).
 *    - TLS 1.3: the server's records after ServerHello, and the client's after
 *      its first flight, are opened with [CLIENT|SERVER]_HANDSHAKE_TRAFFIC_SECRET
 *      until each side's Finished, then with [CLIENT|SERVER]_TRAFFIC_SECRET_0
 *      (RFC 8446 §7.1, §7.3); a KeyUpdate moves a side to the next secret (§7.2).
 * 3. Opened content is read by type: handshake messages, alerts (§6),
 *    application data (handed to the caller, which reads SIP in it).
 *
 * What cannot be opened says why in words: no key log line for the
 * connection's client_random, a secret that does not open the records, a
 * suite this engine does not implement, TLS 1.3 early data.
 */
import type { DecodedLayer } from '../timeline';
import type { Field } from '../wire/field';
import { ByteReader } from '../wire/reader';
import { isParseError } from '../wire/parse-error';
import { toHex } from '../wire/bytes';
import { HASH_LENGTH } from '../crypto/hash';
import { LiveRandom } from '../crypto/random';
import { TlsFailure, readAlert, type TlsAlert } from '../tls/alert';
import {
  CONTENT_TYPE,
  HANDSHAKE_TYPE,
  EXTENSION_TYPE,
  contentTypeName,
  describeContentType,
  describeVersion,
} from '../tls/codepoints';
import { suiteByCode, describeSuite, type CipherSuite } from '../tls/cipher-suites';
import { HandshakeReassembler, type HandshakeMessage } from '../tls/handshake';
import { MAX_CIPHERTEXT_12, RECORD_HEADER_LENGTH, writeRecordHeader, type RawRecord } from '../tls/record';
import { PlaintextCipher, type RecordCipher } from '../tls/record-cipher';
import { Tls12KeySchedule } from '../tls/key-schedule-12';
import { Tls13KeySchedule, hkdfExpandLabel } from '../tls/key-schedule-13';
import { tls12Ciphers, tls13Cipher } from '../tls/traffic-ciphers';
import type { KeyDerivation } from '../tls/key-derivation';
import type { KeyLogLabel } from '../tls/key-log';
import { readClientHello, readServerHello, isHelloRetryRequest } from '../tls/messages/hello';
import { readCertificate } from '../tls/messages/certificate';
import { certificateNames } from '../pki/certificate-names';
import { formatDistinguishedName } from '../pki/distinguished-name';
import { ByteWriter } from '../wire/writer';
import { describeHandshakeMessage, handshakeLabel } from './handshake-messages';
import type { KeyLogSecrets } from './key-log-secrets';

export type TlsSender = 'client' | 'server';

/** One record of a captured TLS stream, explained and, when it could be, opened. */
export interface TlsRecordUnit {
  sender: TlsSender;
  /** The record's place in its sender's stream: its first byte and one past its last. */
  start: number;
  end: number;
  /** The record's field tree, ranges from its first byte. */
  fields: Field[];
  /** Ladder labels of what the record carries: `ClientHello`, `Alert unknown_ca`, `SIP REGISTER`. */
  labels: string[];
  /** What the endpoints read in it beyond its wire bytes (the decrypted content). */
  layers: DecodedLayer[];
  /** A protected record: after ChangeCipherSpec in TLS 1.2, any application_data record in TLS 1.3. */
  encrypted: boolean;
  /** Its content was read: it travelled in clear, or the key log's secrets opened it. */
  readable: boolean;
  /** Why a protected record could not be opened, in words. */
  problem?: string;
  alert?: TlsAlert;
  /** The content type the record really carries (inside it, in TLS 1.3), when it was read. */
  contentType?: number;
  /** Handshake messages the record completed. */
  messages: number[];
  /** Secrets taken from the key log, and keys derived from them, when they came into use. */
  keys: KeyDerivation[];
}

/** What the caller reads in application data (SIP): fields of the plaintext, labels, whole messages. */
export interface ApplicationContent {
  fields: Field[];
  labels: string[];
  layers: DecodedLayer[];
}

export type ApplicationReader = (sender: TlsSender, content: Uint8Array) => ApplicationContent;

export interface TlsCertificateSeen {
  sender: TlsSender;
  subject: string;
  issuer: string;
}

interface Direction {
  pending: Uint8Array;
  /** Stream offset of `pending[0]`. */
  offset: number;
  /** The stream stopped framing as TLS. */
  notTls: boolean;
  /** TLS 1.2: the sender has sent ChangeCipherSpec. */
  changedCipher: boolean;
  cipher?: RecordCipher;
  /** TLS 1.3: the secret the current cipher came from, for KeyUpdate. */
  secret?: { name: string; value: Uint8Array };
  /** Why this direction's protected records cannot be opened. */
  blocked?: string;
  handshake: HandshakeReassembler;
  /** Bytes of handshake content pushed, and the stream offset where the next whole message starts. */
  handshakePushed: number;
  handshakeEmitted: number;
  /** Type of the handshake message in progress, once its first byte is in. */
  partialType?: number;
  records: number;
  /** Protected records opened. */
  opened: number;
  /** Key derivations to report on the next record of this direction. */
  keys: KeyDerivation[];
}

function direction(): Direction {
  return {
    pending: new Uint8Array(0),
    offset: 0,
    notTls: false,
    changedCipher: false,
    handshake: new HandshakeReassembler(),
    handshakePushed: 0,
    handshakeEmitted: 0,
    records: 0,
    opened: 0,
    keys: [],
  };
}

const KEY_LOG_SPEC = 'draft-ietf-tls-keylogfile §3';

export class PassiveTlsSession {
  clientRandom?: Uint8Array;
  serverName?: string;
  version?: '1.2' | '1.3' | string;
  suite?: CipherSuite;
  suiteCode?: number;
  /** Why nothing (or not everything) could be decrypted; undefined while all went well. */
  problem?: string;
  /** Both Finished messages were read: the handshake completed. */
  readonly finished = { client: false, server: false };
  readonly certificates: TlsCertificateSeen[] = [];
  readonly alerts: Array<{ sender: TlsSender; alert: TlsAlert; encrypted: boolean }> = [];
  /** The client offered TLS 1.3 early data (RFC 8446 §4.2.10). */
  private earlyData = false;
  private readonly dirs: Record<TlsSender, Direction> = { client: direction(), server: direction() };
  /** TLS 1.2: both directions' ciphers, each taken into use at its ChangeCipherSpec. */
  private pending12?: Record<TlsSender, RecordCipher>;
  /** TLS 1.3: the application traffic secrets, taken into use after each side's Finished. */
  private next13: Partial<Record<TlsSender, { name: string; value: Uint8Array } | undefined>> = {};
  private retried = false;

  constructor(
    private readonly secrets: KeyLogSecrets,
    private readonly application: ApplicationReader,
    /**
     * Build each record's field tree (the lab shows it). Off, `fields` and `layers` stay empty and only what
     * the diagnosis reads is computed: labels, alerts, certificates, keys; `trunklab analyze` prints no bytes.
     */
    private readonly explain = true,
  ) {}

  get records(): number {
    return this.dirs.client.records + this.dirs.server.records;
  }

  /** Protected records opened with the key log's secrets. */
  get opened(): number {
    return this.dirs.client.opened + this.dirs.server.opened;
  }

  /** Whether records that needed keys were all opened. */
  get decrypted(): boolean {
    return this.problem === undefined && this.version !== undefined;
  }

  /** More of `sender`'s stream, in order; returns the records it completes. */
  push(sender: TlsSender, bytes: Uint8Array): TlsRecordUnit[] {
    const d = this.dirs[sender];
    if (d.pending.length === 0) d.pending = bytes.slice();
    else {
      const joined = new Uint8Array(d.pending.length + bytes.length);
      joined.set(d.pending);
      joined.set(bytes, d.pending.length);
      d.pending = joined;
    }
    const out: TlsRecordUnit[] = [];
    let at = 0;
    const p = d.pending;
    while (!d.notTls && p.length - at >= RECORD_HEADER_LENGTH) {
      const type = p[at];
      const length = (p[at + 3] << 8) | p[at + 4];
      if (!contentTypeName(type) || p[at + 1] !== 3 || length > MAX_CIPHERTEXT_12) {
        d.notTls = true;
        break;
      }
      if (p.length - at < RECORD_HEADER_LENGTH + length) break;
      const recordBytes = p.subarray(at, at + RECORD_HEADER_LENGTH + length);
      const raw: RawRecord = {
        type,
        version: (p[at + 1] << 8) | p[at + 2],
        fragment: recordBytes.subarray(RECORD_HEADER_LENGTH),
        bytes: recordBytes,
      };
      out.push(this.record(sender, d, raw, d.offset + at));
      at += RECORD_HEADER_LENGTH + length;
    }
    if (d.notTls && at < p.length) {
      out.push(notTlsUnit(sender, d.offset + at, p.subarray(at)));
      at = p.length;
    }
    d.pending = p.slice(at);
    d.offset += at;
    return out;
  }

  /** Bytes of `sender`'s stream held waiting for the rest of a record. */
  held(sender: TlsSender): number {
    return this.dirs[sender].pending.length;
  }

  private record(sender: TlsSender, d: Direction, raw: RawRecord, start: number): TlsRecordUnit {
    d.records++;
    const unit: TlsRecordUnit = {
      sender,
      start,
      end: start + raw.bytes.length,
      fields: [],
      labels: [],
      layers: [],
      encrypted: false,
      readable: true,
      messages: [],
      keys: [],
    };
    const tls13 = this.version === '1.3';
    const isProtected = tls13
      ? raw.type === CONTENT_TYPE.application_data && (sender === 'server' || this.serverHelloSeen)
      : d.changedCipher && raw.type !== CONTENT_TYPE.change_cipher_spec;
    const earlyFromClient = sender === 'client' && raw.type === CONTENT_TYPE.application_data && !this.serverHelloSeen;
    if (earlyFromClient) {
      // Before the server answered, the only protected records a client sends are 0-RTT data (RFC 8446 §4.2.10).
      return this.opaque(
        unit,
        raw,
        this.earlyData ? 'TLS 1.3 early data is not supported' : 'an encrypted record before any ServerHello',
      );
    }
    if (!isProtected) {
      const opened = new PlaintextCipher().open(raw);
      unit.contentType = opened.type;
      const content = this.content(sender, d, unit, opened.type, opened.content, false);
      if (this.explain) unit.fields = opened.describe(content).fields;
      if (raw.type === CONTENT_TYPE.change_cipher_spec && !tls13) this.changeCipherSpec(sender, d);
      this.takeKeys(d, unit);
      return unit;
    }
    unit.encrypted = true;
    if (!d.cipher) return this.opaque(unit, raw, d.blocked ?? this.problem ?? 'the keys for this record are not known');
    let opened;
    try {
      opened = d.cipher.open(raw);
    } catch (e) {
      if (!(e instanceof TlsFailure)) throw e;
      return this.openFailure(sender, d, unit, raw, e);
    }
    unit.contentType = opened.type;
    const content = this.content(sender, d, unit, opened.type, opened.content, true);
    if (this.explain) {
      const described = opened.describe(content);
      unit.fields = described.fields;
      if (described.decoded) unit.layers.unshift(described.decoded);
    }
    d.opened++;
    this.takeKeys(d, unit);
    return unit;
  }

  /** A protected record the keys did not open: a wrong key log line, TLS 1.3 early data, or bytes changed on the way. */
  private openFailure(sender: TlsSender, d: Direction, unit: TlsRecordUnit, raw: RawRecord, e: TlsFailure) {
    if (sender === 'client' && this.earlyData && d.opened === 0 && this.version === '1.3') {
      // The client's 0-RTT records come before its handshake flight, under keys the key log may not hold.
      return this.opaque(unit, raw, 'TLS 1.3 early data is not supported');
    }
    const random = this.clientRandom ? shortRandom(this.clientRandom) : 'this connection';
    const why =
      d.opened === 0 || (this.version === '1.2' && d.records <= 1)
        ? `the key log's secret for client_random ${random} does not open the ${sender}'s records (${e.alert.name}): it belongs to another session`
        : `record from the ${sender} does not authenticate under keys that opened the ones before it (${e.alert.name}): its bytes were changed on the way, or the capture lost some`;
    // A record that does not open ends the connection (RFC 8446 §5.2): nothing after it can be read either.
    d.blocked = why;
    d.cipher = undefined;
    this.problem ??= why;
    return this.opaque(unit, raw, why);
  }

  private opaque(unit: TlsRecordUnit, raw: RawRecord, problem: string): TlsRecordUnit {
    this.problem ??= problem;
    unit.encrypted = true;
    unit.readable = false;
    unit.problem = problem;
    unit.labels.push(
      raw.type === CONTENT_TYPE.application_data ? 'Encrypted record' : `Encrypted ${describeContentType(raw.type)}`,
    );
    if (this.explain) unit.fields = opaqueRecordFields(raw, problem);
    return unit;
  }

  private get serverHelloSeen(): boolean {
    return this.version !== undefined;
  }

  /** Reads the content of a record in clear or opened; returns the content's fields. */
  private content(
    sender: TlsSender,
    d: Direction,
    unit: TlsRecordUnit,
    type: number,
    content: Uint8Array,
    decrypted: boolean,
  ): Field[] {
    switch (type) {
      case CONTENT_TYPE.handshake:
        return this.handshakeContent(sender, d, unit, content, decrypted);
      case CONTENT_TYPE.alert:
        return this.alertContent(sender, unit, content, decrypted);
      case CONTENT_TYPE.change_cipher_spec: {
        unit.labels.push('ChangeCipherSpec');
        if (!this.explain) return [];
        const r = new ByteReader(content);
        r.bytes(content.length, {
          name: 'ChangeCipherSpec',
          value: content.length === 1 && content[0] === 1 ? 'change_cipher_spec (1)' : `${content.length} bytes`,
          note:
            this.version === '1.3'
              ? 'Sent only for middleboxes in TLS 1.3 (RFC 8446 §D.4); it changes nothing.'
              : 'From its next record on, the sender encrypts (RFC 5246 §7.1).',
          spec: this.version === '1.3' ? 'RFC 8446 §D.4' : 'RFC 5246 §7.1',
        });
        return r.fields;
      }
      case CONTENT_TYPE.application_data: {
        const read = this.application(sender, content);
        unit.labels.push(...read.labels);
        unit.layers.push(...read.layers);
        return read.fields;
      }
      default:
        unit.labels.push(`TLS ${describeContentType(type)}`);
        return [{ name: 'content', start: 0, end: content.length, value: `${content.length} bytes` }];
    }
  }

  private alertContent(sender: TlsSender, unit: TlsRecordUnit, content: Uint8Array, encrypted: boolean): Field[] {
    try {
      const { alert, fields } = readAlert(content);
      unit.alert = alert;
      unit.labels.push(`Alert ${alert.name === 'unknown' ? alert.code : alert.name}`);
      this.alerts.push({ sender, alert, encrypted });
      return fields;
    } catch (e) {
      if (!isParseError(e)) throw e;
      unit.labels.push('Alert (malformed)');
      return [{ name: 'Alert (malformed)', start: 0, end: content.length, note: e.message, spec: 'RFC 8446 §6' }];
    }
  }

  private handshakeContent(
    sender: TlsSender,
    d: Direction,
    unit: TlsRecordUnit,
    content: Uint8Array,
    decrypted: boolean,
  ): Field[] {
    const from = d.handshakePushed;
    const to = from + content.length;
    d.handshakePushed = to;
    const fields: Field[] = [];
    const messages: HandshakeMessage[] = [];
    try {
      d.handshake.push(content);
      for (let m = d.handshake.next(); m; m = d.handshake.next()) messages.push(m);
    } catch (e) {
      if (!(e instanceof TlsFailure)) throw e;
      unit.labels.push('Handshake (unreadable)');
      return [{ name: 'Handshake data', start: 0, end: content.length, note: e.alert.reason, spec: 'RFC 8446 §4' }];
    }
    for (const m of messages) {
      const start = d.handshakeEmitted;
      const end = start + m.bytes.length;
      d.handshakeEmitted = end;
      if (!this.explain) {
        unit.labels.push(this.message(sender, m, decrypted));
        unit.messages.push(m.type);
        continue;
      }
      const described = describeHandshakeMessage(m, { tls12: this.version !== '1.3', suite: this.suite });
      unit.labels.push(described.label);
      unit.messages.push(m.type);
      if (start >= from) {
        for (const f of described.fields) fields.push(shift(f, start - from));
      } else {
        fields.push({
          name: `${described.label} (end)`,
          start: 0,
          end: end - from,
          value: `${end - from} of ${m.bytes.length} bytes`,
          note: `The last bytes of a ${described.label} message that began in an earlier record; the whole message is shown as its own layer.`,
          spec: 'RFC 8446 §5.1',
        });
        unit.layers.push({ title: `TLS ${described.label}`, bytes: toHex(m.bytes), fields: described.fields });
      }
      this.message(sender, m, decrypted);
    }
    if (d.handshakeEmitted < to) {
      const start = Math.max(d.handshakeEmitted, from);
      if (d.handshakeEmitted >= from) d.partialType = content[d.handshakeEmitted - from];
      const label = d.partialType === undefined ? 'handshake message' : handshakeLabel(d.partialType);
      unit.labels.push(`${label} (part)`);
      if (this.explain) {
        fields.push({
          name: `${label} (part)`,
          start: start - from,
          end: content.length,
          value: `${to - start} bytes`,
          note: `Part of a ${label} message that continues in the next record (RFC 8446 §5.1: a message may span records).`,
          spec: 'RFC 8446 §5.1',
        });
      }
    }
    return fields;
  }

  /**
   * What a whole handshake message changes: the randoms, the version and suite, the keys. Returns its ladder
   * label from what was read here (HelloRetryRequest, an empty Certificate), for a record not explained.
   */
  private message(sender: TlsSender, m: HandshakeMessage, decrypted: boolean): string {
    const label = handshakeLabel(m.type);
    try {
      if (m.type === HANDSHAKE_TYPE.client_hello && sender === 'client') {
        const ch = readClientHello(m).value;
        this.clientRandom ??= ch.random;
        this.serverName ??= ch.extensions.serverName;
        this.earlyData = ch.extensions.types.includes(EXTENSION_TYPE.early_data);
        return label;
      }
      if (m.type === HANDSHAKE_TYPE.server_hello && sender === 'server') {
        const sh = readServerHello(m).value;
        if (isHelloRetryRequest(sh)) {
          this.retried = true;
          return 'HelloRetryRequest';
        }
        this.serverHello(sh.extensions.selectedVersion ?? sh.legacyVersion, sh.cipherSuite, sh.random);
        return label;
      }
      if (m.type === HANDSHAKE_TYPE.certificate) {
        const chain = readCertificate(m, this.version !== '1.3').value.chain;
        // Named from its DER alone: the diagnosis only quotes who the certificate is for and who issued it.
        for (const der of chain.slice(0, 1)) {
          const names = certificateNames(der);
          const subject = names && formatDistinguishedName(names.subject);
          const issuer = names && formatDistinguishedName(names.issuer);
          if (subject !== undefined && issuer !== undefined) this.certificates.push({ sender, subject, issuer });
        }
        return chain.length === 0 ? 'Certificate (empty)' : label;
      }
    } catch (e) {
      if (!(e instanceof TlsFailure) && !isParseError(e)) throw e;
      return label;
    }
    if (m.type === HANDSHAKE_TYPE.finished && decrypted) {
      this.finished[sender] = true;
      // TLS 1.3: the sender's records after its Finished use the application traffic secret (RFC 8446 §7.1).
      if (this.version === '1.3') this.switchTo13(sender, this.next13[sender], 'application');
      return label;
    }
    if (m.type === HANDSHAKE_TYPE.key_update && this.version === '1.3' && this.suite) {
      const d = this.dirs[sender];
      if (!d.secret) return label;
      // application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length) (§7.2).
      const hash = this.suite.hash;
      const name = d.secret.name.replace(/_(\d+)$/, (_, n: string) => `_${Number(n) + 1}`);
      const value = hkdfExpandLabel(hash, d.secret.value, 'traffic upd', new Uint8Array(0), HASH_LENGTH[hash]);
      d.keys.push({
        name,
        value,
        from: [d.secret.name],
        how: `HKDF-Expand-Label(${d.secret.name}, "traffic upd", "", ${HASH_LENGTH[hash]})`,
        spec: 'RFC 8446 §7.2',
      });
      this.switchTo13(sender, { name, value }, 'application');
    }
    return label;
  }

  private serverHello(version: number, suiteCode: number, serverRandom: Uint8Array): void {
    this.suiteCode = suiteCode;
    this.version = version === 0x0304 ? '1.3' : version === 0x0303 ? '1.2' : describeVersion(version);
    const suite = suiteByCode(suiteCode);
    if (this.version !== '1.2' && this.version !== '1.3') {
      this.problem = `the server chose ${this.version}, which this lab does not decrypt`;
      return;
    }
    if (!suite || suite.version !== this.version) {
      this.problem = `the server chose ${describeSuite(suiteCode)}, a suite this lab does not decrypt`;
      return;
    }
    this.suite = suite;
    const random = this.clientRandom;
    if (!random) {
      this.problem = 'the capture does not hold the ClientHello, whose random names the connection in a key log';
      return;
    }
    if (!this.secrets.knows(random)) {
      this.problem = `no key log line for client_random ${shortRandom(random)}`;
      return;
    }
    if (this.version === '1.2') this.keys12(suite, random, serverRandom);
    else this.keys13(random);
  }

  private keys12(suite: CipherSuite, clientRandom: Uint8Array, serverRandom: Uint8Array): void {
    const logged = this.secrets.find(clientRandom, 'CLIENT_RANDOM');
    if (!logged) {
      this.problem = `the key log has lines for client_random ${shortRandom(clientRandom)}, but no CLIENT_RANDOM line with its TLS 1.2 master secret`;
      return;
    }
    const keys: KeyDerivation[] = [
      {
        name: 'master_secret',
        value: logged.secret,
        from: [`${logged.source}: CLIENT_RANDOM ${shortRandom(clientRandom)}`],
        how: 'read from the NSS key log line CLIENT_RANDOM <client_random> <master_secret>',
        spec: KEY_LOG_SPEC,
      },
    ];
    const ks = new Tls12KeySchedule(suite.hash, (k) => keys.push(k));
    this.pending12 = tls12Ciphers(
      suite,
      ks.keyBlock(logged.secret, clientRandom, serverRandom, suite.cipher),
      new LiveRandom(),
    );
    this.dirs.server.keys.push(...keys);
  }

  private changeCipherSpec(sender: TlsSender, d: Direction): void {
    d.changedCipher = true;
    if (this.pending12) d.cipher = this.pending12[sender];
    else d.blocked = this.problem ?? 'the keys of this session are not known';
  }

  private keys13(clientRandom: Uint8Array): void {
    const take = (label: KeyLogLabel, name: string) => {
      const logged = this.secrets.find(clientRandom, label);
      return logged ? { name, value: logged.secret, label, source: logged.source } : undefined;
    };
    const hs = {
      client: take('CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'client_handshake_traffic_secret'),
      server: take('SERVER_HANDSHAKE_TRAFFIC_SECRET', 'server_handshake_traffic_secret'),
    };
    this.next13 = {
      client: take('CLIENT_TRAFFIC_SECRET_0', 'client_application_traffic_secret_0'),
      server: take('SERVER_TRAFFIC_SECRET_0', 'server_application_traffic_secret_0'),
    };
    for (const sender of ['client', 'server'] as const) {
      const secret = hs[sender];
      if (secret) this.switchTo13(sender, secret, 'handshake');
      else {
        const missing = sender === 'client' ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET';
        this.dirs[sender].blocked = `the key log has no ${missing} line for client_random ${shortRandom(clientRandom)}`;
      }
    }
  }

  private switchTo13(
    sender: TlsSender,
    secret: { name: string; value: Uint8Array; label?: string; source?: string } | undefined,
    epoch: 'handshake' | 'application',
  ): void {
    const d = this.dirs[sender];
    const suite = this.suite!;
    if (!secret) {
      const label = sender === 'client' ? 'CLIENT_TRAFFIC_SECRET_0' : 'SERVER_TRAFFIC_SECRET_0';
      d.cipher = undefined;
      d.blocked = `the key log has no ${label} line for client_random ${shortRandom(this.clientRandom!)}: the records after the ${sender}'s Finished cannot be opened`;
      return;
    }
    if (secret.label) {
      d.keys.push({
        name: secret.name,
        value: secret.value,
        from: [`${secret.source}: ${secret.label} ${shortRandom(this.clientRandom!)}`],
        how: `read from the NSS key log line ${secret.label} <client_random> <secret>`,
        spec: KEY_LOG_SPEC,
      });
    }
    const ks = new Tls13KeySchedule(suite.hash, (k) => d.keys.push(k));
    d.cipher = tls13Cipher(suite, ks, secret.name, secret.value, epoch);
    d.secret = { name: secret.name, value: secret.value };
    d.blocked = undefined;
  }

  /** Key derivations waiting for a record of this direction, reported on it. */
  private takeKeys(d: Direction, unit: TlsRecordUnit): void {
    if (d.keys.length === 0) return;
    unit.keys.push(...d.keys);
    d.keys = [];
  }

  /** Whether a HelloRetryRequest made the client send its ClientHello again. */
  get helloRetried(): boolean {
    return this.retried;
  }
}

function shift(f: Field, delta: number): Field {
  const g: Field = { ...f, start: f.start + delta, end: f.end + delta };
  if (f.children) g.children = f.children.map((c) => shift(c, delta));
  return g;
}

/** `3f9a0c1d…`: enough of a client_random to find its key log line. */
export function shortRandom(random: Uint8Array): string {
  return `${toHex(random.subarray(0, 8))}…`;
}

/** A protected record that was not opened: its header, and its fragment as opaque bytes (RFC 8446 §5.2, RFC 5246 §6.2.3). */
function opaqueRecordFields(raw: RawRecord, problem: string): Field[] {
  const w = new ByteWriter(raw.bytes.length);
  const done = w.group({
    name: 'TLSCiphertext',
    layer: 'tls-record',
    value: `${describeContentType(raw.type)}, ${raw.fragment.length} bytes, not opened`,
    spec: 'RFC 8446 §5.2',
  });
  writeRecordHeader(w, raw.type, raw.version, raw.fragment.length, true);
  if (raw.fragment.length > 0) {
    w.bytes(raw.fragment, {
      name: 'encrypted_record',
      value: `${raw.fragment.length} bytes`,
      note: `Encrypted, and not opened here: ${problem}.`,
      spec: 'RFC 8446 §5.2',
    });
  }
  done();
  return w.finish().fields;
}

/** Bytes in a TLS stream that do not frame as records. */
function notTlsUnit(sender: TlsSender, start: number, bytes: Uint8Array): TlsRecordUnit {
  return {
    sender,
    start,
    end: start + bytes.length,
    fields: [
      {
        name: 'Not a TLS record',
        start: 0,
        end: bytes.length,
        value: `${bytes.length} bytes`,
        note: `These bytes do not frame as TLS records (first byte 0x${bytes[0].toString(16).padStart(2, '0')}): a record's header has a content type, version 3.x and a length of at most ${MAX_CIPHERTEXT_12} (RFC 8446 §5.1).`,
        spec: 'RFC 8446 §5.1',
      },
    ],
    labels: ['Not TLS'],
    layers: [],
    encrypted: false,
    readable: false,
    problem: 'the bytes do not frame as TLS records',
    messages: [],
    keys: [],
  };
}
