/**
 * What a TLS client and server share: the record layer in both directions,
 * handshake reassembly, the transcript, alerts and application data, with
 * no I/O of its own (sans-IO). Bytes go in through `receive`, and every call
 * returns a `TlsOutput` with the bytes to send and what happened, so the same
 * endpoint runs over the virtual network and over a real socket.
 *
 * Failures are alerts: any TlsFailure raised while handling input becomes
 * the alert this endpoint sends (encrypted under the current write keys,
 * RFC 8446 §6), reports and stops on. Anything else is internal_error.
 *
 * Record rules enforced here (RFC 8446 §5, RFC 5246 §6–7):
 * - a record in clear holds at most 2^14 bytes (§5.1; RFC 5246 §6.2.1): more is
 *   a record_overflow, refused from its header before its bytes are buffered;
 * - a ChangeCipherSpec in TLS 1.3 is a single 0x01 byte, dropped, and only
 *   during the handshake (§5), at most MAX_DROPPED_CHANGE_CIPHER_SPECS times;
 *   in TLS 1.2 it switches the read keys, and only where the handshake
 *   expects it (RFC 5246 §7.1);
 * - handshake messages must not span a key change (§5.1);
 * - application data only once the handshake has finished.
 */
import type { Field } from '../wire/field';
import { concatBytes, toHex } from '../wire/bytes';
import { ByteWriter } from '../wire/writer';
import { runningHash, type HashName, type RunningHash } from '../crypto/hash';
import { fail, makeAlert, readAlert, TlsFailure, writeAlert, type AlertName, type TlsAlert } from './alert';
import {
  CONTENT_TYPE,
  HANDSHAKE_LABEL,
  contentTypeName,
  describeVersion,
  handshakeTypeName,
  type TlsVersion,
} from './codepoints';
import type { TlsConfig } from './config';
import { HandshakeReassembler, type HandshakeMessage } from './handshake';
import type { KeyDerivation } from './key-derivation';
import type { EndpointState, NegotiatedSession, TlsEvent, TlsOutput, TlsRecordView } from './output';
import {
  MAX_CIPHERTEXT_12,
  MAX_CIPHERTEXT_13,
  MAX_PLAINTEXT,
  RecordSplitter,
  writeRecordHeader,
  type Encoded,
  type RawRecord,
} from './record';
import { PlaintextCipher, type RecordCipher } from './record-cipher';
import type { CipherSuite } from './cipher-suites';
import { hkdfExpandLabel, type Tls13KeySchedule } from './key-schedule-13';
import { readKeyUpdate, writeKeyUpdate } from './messages/post-handshake';
import { tls13Cipher } from './traffic-ciphers';
import { HASH_LENGTH } from '../crypto/hash';

/** Thrown (as a rejected promise) when the endpoint is used out of turn; the connection is not affected. */
export class EndpointMisuse extends Error {
  override readonly name = 'EndpointMisuse';
}

/** What the endpoint does with a ChangeCipherSpec record right now. */
export type ChangeCipherSpecPolicy = 'refuse' | 'drop' | 'activate';

/**
 * TLS 1.3 ChangeCipherSpec records dropped in one handshake before it is refused. A peer sends one (RFC 8446
 * §D.4), or two around a HelloRetryRequest; RFC 8446 §5 sets no number, but a peer sending them by the thousand
 * only makes the endpoint work. BoringSSL stops at the same number of records that carry nothing.
 */
export const MAX_DROPPED_CHANGE_CIPHER_SPECS = 32;

export abstract class TlsEndpoint {
  state: EndpointState = 'start';
  /** The negotiated parameters, once the handshake has finished. */
  session?: NegotiatedSession;
  /** The version, once ServerHello has fixed it. */
  version?: TlsVersion;
  /** NSS key log lines for this connection (key-log.ts). */
  readonly keyLog: string[] = [];
  sentAlert?: TlsAlert;
  receivedAlert?: TlsAlert;

  protected readCipher: RecordCipher = new PlaintextCipher();
  protected writeCipher: RecordCipher = new PlaintextCipher();
  /** TLS 1.2: the read cipher that the peer's ChangeCipherSpec will activate. */
  protected pendingReadCipher?: RecordCipher;
  protected ccsPolicy: ChangeCipherSpecPolicy = 'refuse';
  private droppedChangeCipherSpecs = 0;
  protected readonly transcript: Uint8Array[] = [];
  /** TLS 1.3 application traffic secrets, for KeyUpdate (RFC 8446 §4.6.3, §7.2). */
  protected traffic13?: {
    suite: CipherSuite;
    ks: Tls13KeySchedule;
    read: Uint8Array;
    write: Uint8Array;
    generation: { read: number; write: number };
  };

  private readonly splitter = new RecordSplitter(MAX_PLAINTEXT);
  private readonly reassembler = new HandshakeReassembler();
  private out = TlsEndpoint.emptyOutput();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly role: 'client' | 'server',
    protected readonly config: TlsConfig,
  ) {}

  /** Handles one whole handshake message; returns its parsed fields for the record view. */
  protected abstract handleHandshake(message: HandshakeMessage): Promise<Field[]>;

  /**
   * Whether a client certificate went over this connection: the client sent a
   * non-empty Certificate, or the server received one. Not whether the server
   * accepted it: that is `session.clientAuthenticated` on the server, and on a
   * TLS 1.3 client only the server's silence after the client's Finished says
   * it (RFC 8446 §4.4.2.4: the server judges it after its own Finished).
   */
  abstract get clientCertificateSent(): boolean;

  /** Starts the handshake (the client's ClientHello); a server waits for input. */
  start(): Promise<TlsOutput> {
    return this.run(() => this.begin());
  }

  protected async begin(): Promise<void> {}

  /** Gives the endpoint bytes that arrived from the peer. */
  receive(bytes: Uint8Array): Promise<TlsOutput> {
    return this.run(async () => {
      if (this.stopped()) return;
      this.splitter.push(bytes);
      for (;;) {
        if (this.stopped()) return;
        const record = this.splitter.next();
        if (!record) return;
        await this.processRecord(record);
      }
    });
  }

  /** Sends application data (with its own field tree, e.g. a SIP message's, when given one). */
  send(data: Uint8Array | Encoded): Promise<TlsOutput> {
    return this.run(async () => {
      if (this.state !== 'connected') throw new EndpointMisuse(`cannot send application data while ${this.state}`);
      const content: Encoded = data instanceof Uint8Array ? applicationData(data) : data;
      for (let at = 0; at < content.bytes.length || at === 0; at += MAX_PLAINTEXT) {
        const end = Math.min(content.bytes.length, at + MAX_PLAINTEXT);
        const piece: Encoded =
          at === 0 && end === content.bytes.length ? content : applicationData(content.bytes.subarray(at, end));
        this.sendRecord(CONTENT_TYPE.application_data, piece, 'Application Data');
        if (end >= content.bytes.length) break;
      }
    });
  }

  /** Sends close_notify (RFC 8446 §6.1): this side will send nothing more. */
  close(): Promise<TlsOutput> {
    return this.run(async () => {
      if (this.state === 'closed' || this.state === 'failed') return;
      this.sendAlertRecord(
        makeAlert('close_notify', `the ${this.config.names?.self ?? this.role} closes the connection`),
      );
      this.state = 'closed';
    });
  }

  /** Aborts the connection with an alert of the caller's choosing (an attacker, a timeout). */
  abort(name: AlertName, reason: string): Promise<TlsOutput> {
    return this.run(async () => {
      throw fail(name, reason);
    });
  }

  // ---- for subclasses -------------------------------------------------------

  protected emit(event: TlsEvent): void {
    this.out.events.push(event);
  }

  protected note(text: string): void {
    this.emit({ kind: 'note', text });
  }

  protected readonly keySink = (k: KeyDerivation): void => this.emit({ kind: 'key', ...k });

  /** Sends a handshake message in its own record, adding it to the transcript. */
  protected sendHandshake(message: Encoded, summary: string): void {
    this.transcript.push(message.bytes);
    this.sendRecord(CONTENT_TYPE.handshake, message, summary);
  }

  protected sendChangeCipherSpec(note: string): void {
    const w = new ByteWriter(1);
    w.uint8(1, {
      name: 'ChangeCipherSpec',
      value: 'change_cipher_spec (1)',
      note,
      spec: this.version === '1.3' ? 'RFC 8446 §D.4' : 'RFC 5246 §7.1',
    });
    this.sendRecord(CONTENT_TYPE.change_cipher_spec, w.finish(), 'ChangeCipherSpec');
  }

  protected sendRecord(type: number, content: Encoded, summary: string): void {
    const sealed = this.writeCipher.seal(type, content);
    this.out.chunks.push(sealed.bytes);
    this.out.records.push({
      direction: 'sent',
      contentType: contentTypeName(type)!,
      summary,
      bytes: sealed.bytes,
      fields: sealed.fields,
      ...(sealed.decoded ? { decoded: sealed.decoded } : {}),
      encrypted: this.writeCipher.encrypted,
    });
  }

  /**
   * Hash(transcript || extra) (RFC 8446 §4.4.1). A running hash per hash
   * function absorbs each message once, rather than the whole transcript
   * again at every key derivation, signature and Finished; it starts over
   * when the transcript does (a HelloRetryRequest replaces ClientHello1).
   */
  protected transcriptHash(hash: HashName, extra?: Uint8Array): Uint8Array {
    let running = this.runningTranscripts.get(hash);
    const t = this.transcript;
    if (!running || running.absorbed > t.length || (running.absorbed > 0 && t[running.absorbed - 1] !== running.last)) {
      running = { hash: runningHash(hash), absorbed: 0, last: undefined };
      this.runningTranscripts.set(hash, running);
    }
    for (; running.absorbed < t.length; running.absorbed++) running.hash.update(t[running.absorbed]);
    running.last = t[t.length - 1];
    if (!extra) return running.hash.peek();
    const withExtra = running.hash.fork();
    withExtra.update(extra);
    return withExtra.peek();
  }

  private readonly runningTranscripts = new Map<
    HashName,
    { hash: RunningHash; absorbed: number; last: Uint8Array | undefined }
  >();

  protected transcriptBytes(): Uint8Array {
    return concatBytes(...this.transcript);
  }

  /** Switches the read keys; a handshake message must not straddle the change (RFC 8446 §5.1). */
  protected setReadCipher(cipher: RecordCipher): void {
    if (this.reassembler.pending > 0) {
      throw fail('unexpected_message', 'a handshake message straddles a key change (RFC 8446 §5.1)');
    }
    this.readCipher = cipher;
    // RFC 8446 §5.1–5.2, RFC 5246 §6.2.1–6.2.3: 2^14 bytes in clear; protection adds up to 256 (1.3) or 2048 (1.2).
    this.splitter.setMaxFragment(
      !cipher.encrypted ? MAX_PLAINTEXT : this.version === '1.3' ? MAX_CIPHERTEXT_13 : MAX_CIPHERTEXT_12,
    );
  }

  protected setWriteCipher(cipher: RecordCipher): void {
    this.writeCipher = cipher;
  }

  protected connected(session: NegotiatedSession): void {
    this.session = session;
    this.state = 'connected';
    this.ccsPolicy = 'refuse';
    this.emit({ kind: 'handshake-complete', session });
  }

  /**
   * KeyUpdate (RFC 8446 §4.6.3): the peer now writes with
   * application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length) (§7.2);
   * follow it, and if it asks, update this side's keys too and say so.
   */
  protected async onKeyUpdate(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readKeyUpdate(m);
    if (!this.traffic13) throw fail('unexpected_message', 'KeyUpdate before the handshake finished');
    this.updateTrafficKeys('read');
    if (parsed.value) {
      // RFC 8446 §4.6.3: answer with our own KeyUpdate (not requesting one back), then switch our keys.
      this.sendRecord(CONTENT_TYPE.handshake, writeKeyUpdate(false), 'KeyUpdate');
      this.updateTrafficKeys('write');
    }
    return parsed.fields;
  }

  /** Sends a KeyUpdate and moves this side to its next traffic secret; with `request`, asks the peer to do the same. */
  updateKeys(request: boolean): Promise<TlsOutput> {
    return this.run(async () => {
      if (this.state !== 'connected' || !this.traffic13)
        throw new EndpointMisuse('KeyUpdate needs an established TLS 1.3 connection');
      this.sendRecord(CONTENT_TYPE.handshake, writeKeyUpdate(request), 'KeyUpdate');
      this.updateTrafficKeys('write');
    });
  }

  /** application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length) (§7.2). */
  private updateTrafficKeys(direction: 'read' | 'write'): void {
    const t = this.traffic13!;
    const side = (direction === 'write') === (this.role === 'client') ? 'client' : 'server';
    const n = t.generation[direction];
    const length = HASH_LENGTH[t.suite.hash];
    const value = hkdfExpandLabel(t.suite.hash, t[direction], 'traffic upd', new Uint8Array(0), length);
    const name = `${side}_application_traffic_secret_${n + 1}`;
    this.keySink({
      name,
      value,
      from: [`${side}_application_traffic_secret_${n}`],
      how: `HKDF-Expand-Label(${side}_application_traffic_secret_${n}, "traffic upd", "", ${length})`,
      spec: 'RFC 8446 §7.2',
    });
    t[direction] = value;
    t.generation[direction] = n + 1;
    const cipher = tls13Cipher(t.suite, t.ks, name, value, `application ${n + 1}`);
    if (direction === 'read') this.setReadCipher(cipher);
    else this.setWriteCipher(cipher);
  }

  // ---- internals ------------------------------------------------------------

  private stopped(): boolean {
    return this.state === 'closed' || this.state === 'failed';
  }

  private static emptyOutput() {
    return {
      chunks: [] as Uint8Array[],
      records: [] as TlsRecordView[],
      events: [] as TlsEvent[],
      received: [] as Uint8Array[],
    };
  }

  /** Runs one operation at a time, turns failures into alerts, and hands back what happened. */
  private run(op: () => Promise<void>): Promise<TlsOutput> {
    const next = this.queue.then(async () => {
      try {
        await op();
      } catch (e) {
        // A caller's mistake (sending before the handshake) is the caller's error, not the peer's: the connection stays as it was.
        if (e instanceof EndpointMisuse) {
          this.out = TlsEndpoint.emptyOutput();
          throw e;
        }
        this.failWith(e);
      }
      const out = this.out;
      this.out = TlsEndpoint.emptyOutput();
      return {
        bytes: concatBytes(...out.chunks),
        records: out.records,
        events: out.events,
        received: out.received,
        state: this.state,
      };
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private failWith(e: unknown): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    const alert =
      e instanceof TlsFailure
        ? e.alert
        : makeAlert('internal_error', `internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    try {
      this.sendAlertRecord(alert);
    } catch {
      // The alert could not even be written: the connection is simply dropped.
    }
    this.state = 'failed';
  }

  private sendAlertRecord(alert: TlsAlert): void {
    this.sentAlert = alert;
    this.sendRecord(CONTENT_TYPE.alert, writeAlert(alert), `Alert (${alert.name})`);
    this.emit({ kind: 'alert', direction: 'sent', alert });
  }

  private async processRecord(raw: RawRecord): Promise<void> {
    // RFC 5246 §6.2.1 (as OpenSSL enforces it): once TLS 1.2 is agreed, every record says TLS 1.2.
    // TLS 1.3 ignores the field (RFC 8446 §5.1).
    if (this.version === '1.2' && raw.version !== 0x0303) {
      throw fail('protocol_version', `a record says ${describeVersion(raw.version)} after TLS 1.2 was agreed`);
    }
    // RFC 8446 §5: during a TLS 1.3 handshake a ChangeCipherSpec arrives in clear and is dropped.
    if (raw.type === CONTENT_TYPE.change_cipher_spec && this.ccsPolicy === 'drop') {
      this.pushReceived(
        raw,
        new PlaintextCipher().open(raw).describe(ccsFields(raw.fragment)),
        'ChangeCipherSpec',
        false,
      );
      if (raw.fragment.length !== 1 || raw.fragment[0] !== 1) {
        throw fail('unexpected_message', 'a ChangeCipherSpec record must hold the single byte 0x01 (RFC 8446 §5)');
      }
      if (++this.droppedChangeCipherSpecs > MAX_DROPPED_CHANGE_CIPHER_SPECS) {
        throw fail(
          'unexpected_message',
          `more than ${MAX_DROPPED_CHANGE_CIPHER_SPECS} ChangeCipherSpec records in one handshake; a peer sends one (RFC 8446 §D.4)`,
        );
      }
      return;
    }
    // A TLS 1.3 client that refuses the server's certificate has not yet switched to its handshake keys
    // (OpenSSL, for one, sends that alert in clear): during the handshake, take an unprotected alert as it is.
    const cipher =
      raw.type === CONTENT_TYPE.alert &&
      this.readCipher.encrypted &&
      this.version === '1.3' &&
      this.state !== 'connected'
        ? new PlaintextCipher()
        : this.readCipher;
    let opened;
    try {
      opened = cipher.open(raw);
    } catch (e) {
      this.pushReceived(
        raw,
        opaqueView(raw, 'could not be opened'),
        `${contentTypeName(raw.type) ?? 'record'} (rejected)`,
        this.readCipher.encrypted,
      );
      throw e;
    }
    const encrypted = this.readCipher.encrypted;
    const slot = this.out.records.length;
    const view = (fields: Field[], summary: string) =>
      this.pushReceived(raw, opened.describe(fields), summary, encrypted, slot, opened.type);

    switch (opened.type) {
      case CONTENT_TYPE.alert: {
        let parsed;
        try {
          parsed = readAlert(opened.content);
        } catch {
          view([{ name: 'malformed alert', start: 0, end: opened.content.length }], 'Alert (malformed)');
          throw fail('decode_error', `an alert of ${opened.content.length} bytes could not be decoded`);
        }
        view(parsed.fields, `Alert (${parsed.alert.name})`);
        const alert = parsed.alert;
        this.receivedAlert = alert;
        this.emit({ kind: 'alert', direction: 'received', alert });
        if (alert.name === 'close_notify') {
          // RFC 8446 §6.1: answer with our own close_notify and stop.
          if (this.state === 'connected')
            this.sendAlertRecord(makeAlert('close_notify', "answering the peer's close_notify"));
          this.state = 'closed';
        } else {
          // RFC 8446 §6.2 treats every other alert as fatal; a TLS 1.2 warning is ended here too.
          this.state = 'failed';
        }
        return;
      }
      case CONTENT_TYPE.change_cipher_spec: {
        view(ccsFields(opened.content), 'ChangeCipherSpec');
        if (this.ccsPolicy !== 'activate' || !this.pendingReadCipher) {
          throw fail('unexpected_message', 'a ChangeCipherSpec arrived where the handshake does not expect one');
        }
        if (opened.content.length !== 1 || opened.content[0] !== 1)
          throw fail('decode_error', 'ChangeCipherSpec must be the byte 0x01');
        this.setReadCipher(this.pendingReadCipher);
        this.pendingReadCipher = undefined;
        this.ccsPolicy = 'refuse';
        return;
      }
      case CONTENT_TYPE.application_data: {
        if (this.state !== 'connected') {
          view(applicationData(opened.content).fields, 'Application Data');
          throw fail('unexpected_message', 'application data arrived before the handshake finished');
        }
        view(applicationData(opened.content).fields, 'Application Data');
        this.out.received.push(opened.content);
        return;
      }
      case CONTENT_TYPE.handshake: {
        const carried = this.reassembler.pending;
        this.reassembler.push(opened.content);
        const fields: Field[] = [];
        const labels: string[] = [];
        let at = -carried;
        try {
          for (let message = this.reassembler.next(); message; message = this.reassembler.next()) {
            const start = at;
            at += message.bytes.length;
            const name = handshakeTypeName(message.type);
            labels.push(name ? HANDSHAKE_LABEL[name] : `handshake type ${message.type}`);
            const messageFields = await this.handleHandshake(message);
            if (start >= 0) fields.push(...shift(messageFields, start));
            else
              fields.push({
                name: 'end of a handshake message begun in an earlier record',
                start: 0,
                end: at,
                spec: 'RFC 8446 §5.1',
              });
            if (this.stopped()) break;
          }
        } finally {
          if (at < opened.content.length) {
            fields.push({
              name: 'start of a handshake message that continues in the next record',
              start: Math.max(0, at),
              end: opened.content.length,
              spec: 'RFC 8446 §5.1',
            });
          }
          view(fields, labels.length ? labels.join(', ') : 'Handshake (fragment)');
        }
        return;
      }
      default:
        view([], 'unknown record');
        throw fail('unexpected_message', `a record of content type ${opened.type}`);
    }
  }

  private pushReceived(
    raw: RawRecord,
    described: { bytes: Uint8Array; fields: Field[]; decoded?: TlsRecordView['decoded'] },
    summary: string,
    encrypted: boolean,
    slot?: number,
    innerType: number = raw.type,
  ): void {
    const record: TlsRecordView = {
      direction: 'received',
      contentType: contentTypeName(innerType) ?? 'application_data',
      summary,
      bytes: raw.bytes,
      fields: described.fields,
      ...(described.decoded ? { decoded: described.decoded } : {}),
      encrypted,
    };
    if (slot === undefined) this.out.records.push(record);
    else this.out.records.splice(slot, 0, record);
  }
}

/** Application data as an opaque field (the layer above, e.g. SIP, describes itself when it can). */
export function applicationData(bytes: Uint8Array): Encoded {
  return {
    bytes,
    fields: bytes.length
      ? [
          {
            name: 'application_data',
            start: 0,
            end: bytes.length,
            layer: 'tls-application',
            value: `${bytes.length} bytes`,
            note: 'The protected payload: here, SIP.',
            spec: 'RFC 8446 §5.2',
          },
        ]
      : [],
  };
}

function ccsFields(content: Uint8Array): Field[] {
  return content.length
    ? [
        {
          name: 'ChangeCipherSpec',
          start: 0,
          end: content.length,
          value: toHex(content),
          note: 'In TLS 1.3 only for middlebox compatibility (RFC 8446 §D.4).',
          spec: 'RFC 5246 §7.1',
        },
      ]
    : [];
}

function shift(fields: Field[], by: number): Field[] {
  return by === 0
    ? fields
    : fields.map((f) => ({
        ...f,
        start: f.start + by,
        end: f.end + by,
        ...(f.children ? { children: shift(f.children, by) } : {}),
      }));
}

/** A record whose content could not be read: its header, and the rest as one opaque field. */
function opaqueView(raw: RawRecord, why: string): Encoded {
  const w = new ByteWriter(raw.bytes.length);
  const done = w.group({ name: 'TLS record', layer: 'tls-record', spec: 'RFC 8446 §5.1' });
  writeRecordHeader(w, raw.type, raw.version, raw.fragment.length, raw.type === CONTENT_TYPE.application_data);
  if (raw.fragment.length)
    w.bytes(raw.fragment, { name: 'fragment', value: `${raw.fragment.length} bytes`, note: `This record ${why}.` });
  done();
  return w.finish();
}
