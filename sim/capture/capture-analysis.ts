/**
 * A real trunk's capture, read once from start to end: what `trunklab
 * analyze` prints and what the lab shows when a capture is opened.
 *
 * The file is fed in chunks of any size (CaptureReader keeps at most one
 * record), each packet is unwrapped to IP (Ethernet, raw IP, Linux cooked
 * v1/v2; IPv4 and IPv6), and then:
 *
 * 1. TCP segments are put in order per connection and direction
 *    (tcp-connections.ts); the stream is read as TLS (tls-session.ts),
 *    decrypted with the key log's secrets, or as plain SIP;
 * 2. SIP over UDP, TCP or decrypted TLS is parsed (sip-reading.ts), and the
 *    SDP of each offer and answer says where media goes and with which SDES
 *    keys (announced-media.ts);
 * 3. RTP and RTCP datagrams are matched to those keys and decrypted as their
 *    receiver would (media-streams.ts);
 * 4. all along, the diagnosis notes the stages reached and every refusal
 *    (diagnosis.ts).
 *
 * Memory stays flat: nothing is kept per packet but counters, unless an
 * observer (the Timeline's step builder) asks for the packets.
 */
import type { DecodedLayer, Outcome, Party } from '../timeline';
import type { Field } from '../wire/field';
import { fromUtf8 } from '../wire/bytes';
import { CaptureReader, ipPacketOf, SECRETS_TYPE_TLS_KEY_LOG, type CaptureFormat } from '../net/pcap-reader';
import { TCP_FLAG } from '../net/tcp-segment';
import { alertMeaning, type TlsAlert } from '../tls/alert';
import { headerValue, type SipMessage } from '../sip/message';
import type { SdesKey } from '../rtp/sdes-key';
import { hex32 } from '../rtp/rtp-packet';
import { isPrivateAddress } from '../sip/lint';
import type { KeyDerivation } from '../tls/key-derivation';
import { readCapturedHeaders, formatCapturedEndpoint, type CapturedHeaders } from './captured-packet';
import { KeyLogSecrets } from './key-log-secrets';
import { PassiveTlsSession, shortRandom, type TlsRecordUnit, type TlsSender } from './tls-session';
import { SipStreamReader, readSipDatagram, looksLikeSip, type CapturedSipMessage, type SipPiece } from './sip-reading';
import { announcedMedia } from './announced-media';
import { MediaStreams, describeDirection, type MediaStream, type MediaVerdict } from './media-streams';
import { PartyRoles } from './party-roles';
import { TcpConnections, type TcpConnection, type TcpSide } from './tcp-connections';
import { Diagnosis, partyLabel, type CaptureFailure, type StageReport } from './diagnosis';

/** SIP's ports (RFC 3261 §19.1.2): a UDP datagram on them is read as SIP. */
const SIP_PORTS = new Set([5060, 5061]);
/** An INVITE's client transaction gives up after Timer B, 64 × T1 = 32 s (RFC 3261 §17.1.1.2). */
const TIMER_B_MS = 32_000;
/** How long a TLS client waits for a ServerHello before it is said to have given up. */
const HANDSHAKE_WAIT_MS = 10_000;
/** SIP messages listed in a report; the count says how many more there were. */
const SIP_LISTED = 500;

export interface CaptureAnalysisOptions {
  /** The text of an NSS key log given beside the capture. */
  keyLog?: string;
  /** SDES keys given by hand (`--key inline:...`). */
  keys?: SdesKey[];
  /** Hears every packet and what was read in it, for the Timeline's steps. */
  observer?: CaptureObserver;
  /** Keep decrypted G.711 audio per stream, up to this many bytes (0: none). */
  audioBytes?: number;
}

/** A packet as the observer sees it. */
export interface SeenPacket {
  number: number;
  timeMs: number;
  /** The IP packet (a view valid during the call: copy to keep). */
  ip: Uint8Array;
  version: 4 | 6;
  headers: CapturedHeaders;
  from?: Party;
  to?: Party;
}

/** A unit of a TCP stream, explained: a TLS record, or a piece of plain SIP. */
export interface StreamUnit {
  start: number;
  end: number;
  fields: Field[];
  labels: string[];
  layers: DecodedLayer[];
  /** The record or message is protected and was not opened. */
  sealed: boolean;
  /** For TLS records: the record, as read, and the session's version. */
  record?: TlsRecordUnit;
  tlsVersion?: '1.2' | '1.3';
  sip: CapturedSipMessage[];
  /** A failure this unit proves, in words. */
  failure?: string;
  keys: KeyDerivation[];
}

export interface CaptureObserver {
  packet(p: SeenPacket): void;
  /**
   * Where a TCP packet's payload sits in its side's stream (undefined before the stream's start is known),
   * and, when the stream had every byte of it already, whether it repeats them (`same`: a retransmission)
   * or carries other bytes at the same place (`changed`).
   */
  segment(
    packet: number,
    connection: TcpConnection,
    side: TcpSide,
    offset: number | undefined,
    copy: 'same' | 'changed' | undefined,
  ): void;
  /** In-order bytes of a side's stream delivered when `packet` arrived, and what the stream was found to carry. */
  chunk(
    packet: number,
    connection: TcpConnection,
    side: TcpSide,
    bytes: Uint8Array,
    content: 'tls' | 'sip' | 'other',
  ): void;
  /** Units of a side's stream completed when `packet` arrived. */
  units(packet: number, connection: TcpConnection, side: TcpSide, units: StreamUnit[]): void;
  /** A UDP datagram read as SIP. */
  sipDatagram(packet: number, piece: SipPiece): void;
  /** A media packet's verdict; it may come after later packets were seen. */
  media(verdict: MediaVerdict): void;
  /** The capture ended. */
  end(): void;
}

export interface TlsReport {
  connection: string;
  client: Party;
  server: Party;
  firstPacket: number;
  version?: string;
  cipherSuite?: string;
  serverName?: string;
  clientRandom?: string;
  /** Every protected record was opened. */
  decrypted: boolean;
  records: number;
  opened: number;
  handshake: 'complete' | 'failed' | 'incomplete' | 'not decrypted';
  alerts: Array<{ packet: number; from: Party; name: string; encrypted: boolean }>;
  certificates: Array<{ from: Party; subject: string; issuer: string }>;
  problem?: string;
}

export interface SipReport {
  packet: number;
  from: Party;
  to: Party;
  transport: 'tls' | 'tcp' | 'udp';
  message: string;
  callId?: string;
  cseq?: string;
  sdp?: Array<{ media: string; address: string; port: number; proto: string; crypto: string[] }>;
}

export interface MediaReport {
  ssrc: string;
  direction: string;
  from?: Party;
  to?: Party;
  src: string;
  dst: string;
  protection: 'SRTP' | 'RTP' | 'unknown';
  suite?: string;
  key?: string;
  packets: number;
  decrypted: number;
  authFailures: number;
  replays: number;
  malformed: number;
  rtcp: { packets: number; decrypted: number; authFailures: number; replays: number };
  firstPacket: number;
  lastPacket: number;
  firstFailure?: { packet: number; reason: string; detail: string };
  /** Why it was not decrypted, in words. */
  problem?: string;
  /** Why its receiver never got it, when the capture shows that. */
  unreachable?: string;
}

export interface CaptureReport {
  capture: {
    format?: CaptureFormat;
    packets: number;
    /** IP packets read; the rest were other link-layer traffic (ARP, ...) or unreadable. */
    ipPackets: number;
    unreadable: number;
    durationMs: number;
  };
  keyLog: { secrets: number; fromCapture: number; skippedLines: number; problems: string[] };
  stages: StageReport[];
  failure: CaptureFailure | null;
  outcome: Outcome;
  tls: TlsReport[];
  sip: SipReport[];
  /** SIP messages beyond those listed. */
  sipNotListed: number;
  media: MediaReport[];
}

interface ConnectionState {
  connection: TcpConnection;
  parties: Record<TcpSide, Party>;
  content?: 'tls' | 'sip' | 'other';
  tls?: PassiveTlsSession;
  sip: Partial<Record<TcpSide, SipStreamReader>>;
  clientHello?: number;
  clientHelloTimeMs?: number;
  serverAnswered: boolean;
  /** Packet numbers of the TLS alerts sent, by side. */
  alertPackets: Array<{ packet: number; side: TcpSide; alert: TlsAlert; encrypted: boolean }>;
  handshakeDone?: number;
  /** The first segment of each side that repeated stream bytes with other content. */
  changedCopies: Partial<Record<TcpSide, number>>;
}

/** An open SIP transaction whose final failure may yet be answered by a new request. */
interface SipChallenge {
  packet: number;
  party: Party;
  status: number;
  detail: string;
  method: string;
}

export class CaptureAnalysis {
  readonly secrets = new KeyLogSecrets();
  private readonly reader: CaptureReader;
  private readonly connections = new TcpConnections();
  private readonly states = new Map<TcpConnection, ConnectionState>();
  private readonly roles = new PartyRoles();
  private readonly diagnosis = new Diagnosis();
  private readonly media: MediaStreams;
  private readonly sip: SipReport[] = [];
  private sipCount = 0;
  private readonly challenges = new Map<string, SipChallenge>();
  private readonly invites = new Map<string, { packet: number; timeMs: number; party: Party; answered: boolean }>();
  private secretsFromCapture = 0;
  private packets = 0;
  private ipPackets = 0;
  private unreadable = 0;
  private firstTimeMs?: number;
  private lastTimeMs = 0;
  private current = 0;
  private currentTimeMs = 0;
  private ended?: CaptureReport;
  private readonly observer?: CaptureObserver;
  /** Whether records and messages get their field trees: only an observer shows them. */
  private readonly explain: boolean;

  constructor(options: CaptureAnalysisOptions = {}) {
    this.observer = options.observer;
    this.explain = this.observer !== undefined;
    if (options.keyLog !== undefined) this.secrets.add(options.keyLog, 'the key log');
    this.reader = new CaptureReader({
      onSecrets: (s) => {
        if (s.type !== SECRETS_TYPE_TLS_KEY_LOG) return;
        this.secretsFromCapture += this.secrets.add(fromUtf8(s.data), "the capture's Decryption Secrets Block");
      },
    });
    this.media = new MediaStreams(this.observer ? (v) => this.mediaVerdict(v) : undefined, {
      keys: options.keys,
      keepPlain: this.observer !== undefined,
      audioBytes: options.audioBytes ?? 0,
      partyOf: (ip, port) => this.roles.of(ip, port),
      whyNoSdp: () => this.whyNoSdp(),
    });
  }

  /** Feeds the next chunk of the capture file. Throws a ParseError when the file is not a readable capture. */
  push(chunk: Uint8Array): void {
    this.reader.push(chunk, (r) => {
      this.packets++;
      const timeMs = r.seconds * 1000 + r.nanoseconds / 1e6;
      this.firstTimeMs ??= timeMs;
      this.lastTimeMs = timeMs;
      const ip = ipPacketOf(r.linkType, r.data);
      if (typeof ip === 'string') return;
      const h = readCapturedHeaders(ip);
      if (typeof h === 'string') {
        this.unreadable++;
        return;
      }
      this.ipPackets++;
      this.current = r.number;
      this.currentTimeMs = timeMs;
      this.read(r.number, timeMs, ip.bytes, h);
    });
  }

  get packetsRead(): number {
    return this.packets;
  }

  /** When the capture's first packet was taken, in milliseconds since 1970. */
  get firstPacketTimeMs(): number | undefined {
    return this.firstTimeMs;
  }

  /** Ends the capture: what it shows. Throws a ParseError when the file ends inside a record. */
  end(): CaptureReport {
    if (this.ended) return this.ended;
    this.reader.end();
    this.media.finish();
    this.closeConnections();
    this.closeSip();
    this.mediaStages();
    this.observer?.end();
    this.ended = this.report();
    return this.ended;
  }

  /** The media streams, with their decrypted audio when it was kept. */
  get streams(): MediaStream[] {
    return this.media.all;
  }

  /** The streams that reach their receiver: what each side can have heard (one sent to a private address never arrives). */
  get heardStreams(): MediaStream[] {
    return this.media.all.filter((s) => !this.unreachable(s));
  }

  private read(packet: number, timeMs: number, ip: Uint8Array, h: CapturedHeaders): void {
    if (h.transport === 'tcp') {
      const c = this.connections.find(h, packet, timeMs);
      const state = this.state(c);
      const side = c.see(h, packet);
      this.observer?.packet({
        number: packet,
        timeMs,
        ip,
        version: h.version,
        headers: h,
        from: state.parties[side],
        to: state.parties[side === 'client' ? 'server' : 'client'],
      });
      const stream = c.streams[side];
      const before = stream.delivered;
      const offset = stream.offsetOf(h.seq, h.flags);
      // Bytes the stream already delivered, sent again: the same bytes (a retransmission), or changed ones.
      const again = offset !== undefined && offset < before && h.payload.length > 0;
      const copy = again ? c.history[side].compare(offset, h.payload) : 'unknown';
      if (copy === 'different') this.changedCopy(state, side, packet);
      const chunks = stream.push(h.seq, h.flags, h.payload);
      for (const chunk of chunks) c.history[side].append(chunk);
      if (this.observer && h.payload.length > 0) {
        const at = offset ?? stream.offsetOf(h.seq, h.flags);
        const repeated = at !== undefined && at + h.payload.length <= before;
        this.observer.segment(packet, c, side, at, repeated ? (copy === 'different' ? 'changed' : 'same') : undefined);
      }
      for (const chunk of chunks) this.streamBytes(state, side, chunk, packet);
      if (h.flags & TCP_FLAG.SYN && h.flags & TCP_FLAG.ACK) {
        this.diagnosis.reach(
          'tcp',
          packet,
          `${c.describe()}: the ${partyLabel(state.parties.server)} accepted the TCP connection`,
        );
      }
      return;
    }
    if (h.transport === 'udp') {
      if (SIP_PORTS.has(h.srcPort) || SIP_PORTS.has(h.dstPort) || looksLikeSip(h.payload)) {
        const piece = readSipDatagram(h.payload, this.explain);
        if (piece.messages.length > 0 || SIP_PORTS.has(h.dstPort) || SIP_PORTS.has(h.srcPort)) {
          const parties = this.udpSipParties(h, piece.messages[0]?.parsed.message);
          this.observer?.packet({ number: packet, timeMs, ip, version: h.version, headers: h, ...parties });
          this.observer?.sipDatagram(packet, piece);
          for (const m of piece.messages) this.sipMessage(m, parties.from, parties.to, 'udp', packet, timeMs);
          return;
        }
      }
      if (this.observer) {
        const from = this.roles.of(h.src, h.srcPort);
        const to = this.roles.of(h.dst, h.dstPort);
        this.observer.packet({ number: packet, timeMs, ip, version: h.version, headers: h, from, to });
      }
      this.media.offer(packet, h.src, h.srcPort, h.dst, h.dstPort, h.payload, h.cut);
      return;
    }
    this.observer?.packet({
      number: packet,
      timeMs,
      ip,
      version: h.version,
      headers: h,
      from: this.roles.ofAddress(h.src),
      to: this.roles.ofAddress(h.dst),
    });
  }

  /** A segment repeats stream bytes with other content: noted once per direction, as a finding. */
  private changedCopy(s: ConnectionState, side: TcpSide, packet: number): void {
    if (s.changedCopies[side] !== undefined) return;
    s.changedCopies[side] = packet;
  }

  private state(c: TcpConnection): ConnectionState {
    let s = this.states.get(c);
    if (!s) {
      // The TLS (or TCP) client is the PBX's side unless its address already played the SBC.
      const known = this.roles.of(c.client.ip, c.client.port) ?? flip(this.roles.of(c.server.ip, c.server.port));
      const client: Party = known ?? 'pbx';
      const server: Party = client === 'pbx' ? 'sbc' : 'pbx';
      this.roles.learn(c.client.ip, c.client.port, client);
      this.roles.learn(c.server.ip, c.server.port, server);
      s = {
        connection: c,
        parties: { client, server },
        sip: {},
        serverAnswered: false,
        alertPackets: [],
        changedCopies: {},
      };
      this.states.set(c, s);
    }
    return s;
  }

  private streamBytes(s: ConnectionState, side: TcpSide, chunk: Uint8Array, packet: number): void {
    if (s.content === undefined) {
      s.content = chunk[0] === 0x16 && chunk[1] === 0x03 ? 'tls' : looksLikeSip(chunk) ? 'sip' : 'other';
      if (s.content === 'tls')
        s.tls = new PassiveTlsSession(
          this.secrets,
          (sender, content) => this.tlsApplication(s, sender, content),
          this.explain,
        );
    }
    if (side === 'server' && !s.serverAnswered) s.serverAnswered = true;
    this.observer?.chunk(packet, s.connection, side, chunk, s.content);
    if (s.content === 'tls') return this.tlsBytes(s, side, chunk, packet);
    if (s.content === 'sip') {
      const reader = (s.sip[side] ??= new SipStreamReader('segment', this.explain));
      const piece = reader.push(chunk);
      const start = s.connection.streams[side].delivered - chunk.length;
      const unit: StreamUnit = {
        start,
        end: start + chunk.length,
        fields: piece.fields,
        labels: piece.labels,
        layers: piece.layers,
        sealed: false,
        sip: piece.messages,
        keys: [],
      };
      this.observer?.units(packet, s.connection, side, [unit]);
      for (const m of piece.messages)
        this.sipMessage(m, s.parties[side], s.parties[other(side)], 'tcp', packet, this.currentTimeMs);
      return;
    }
    if (this.observer) {
      const start = s.connection.streams[side].delivered - chunk.length;
      this.observer.units(packet, s.connection, side, [
        {
          start,
          end: start + chunk.length,
          fields: [
            {
              name: 'Data',
              start: 0,
              end: chunk.length,
              value: `${chunk.length} bytes`,
              note: 'Bytes of a stream that is neither TLS nor SIP.',
              spec: 'RFC 9293 §3.1',
            },
          ],
          labels: [],
          layers: [],
          sealed: false,
          sip: [],
          keys: [],
        },
      ]);
    }
  }

  /** SIP messages completed inside the TLS application data being read, waiting for their record's packet. */
  private pendingSip: Array<{ message: CapturedSipMessage; side: TcpSide }> = [];

  private tlsApplication(s: ConnectionState, sender: TlsSender, content: Uint8Array) {
    const reader = (s.sip[sender] ??= new SipStreamReader('record', this.explain));
    const piece = reader.push(content);
    for (const m of piece.messages) this.pendingSip.push({ message: m, side: sender });
    return { fields: piece.fields, labels: piece.labels, layers: piece.layers };
  }

  private tlsBytes(s: ConnectionState, side: TcpSide, chunk: Uint8Array, packet: number): void {
    const tls = s.tls!;
    const records = tls.push(side, chunk);
    if (records.length === 0) return;
    const units: StreamUnit[] = [];
    for (const r of records) {
      const sip = this.pendingSip.filter((p) => p.side === side);
      this.pendingSip = [];
      const unit: StreamUnit = {
        start: r.start,
        end: r.end,
        fields: r.fields,
        labels: r.labels,
        layers: r.layers,
        sealed: r.encrypted && !r.readable,
        record: r,
        ...(tls.version === '1.2' || tls.version === '1.3' ? { tlsVersion: tls.version } : {}),
        sip: sip.map((p) => p.message),
        keys: r.keys,
      };
      this.tlsRecord(s, side, r, unit, packet);
      units.push(unit);
      for (const p of sip)
        this.sipMessage(p.message, s.parties[side], s.parties[other(side)], 'tls', packet, this.currentTimeMs);
    }
    this.observer?.units(packet, s.connection, side, units);
  }

  private tlsRecord(s: ConnectionState, side: TcpSide, r: TlsRecordUnit, unit: StreamUnit, packet: number): void {
    const tls = s.tls!;
    if (side === 'client' && s.clientHello === undefined && r.labels.includes('ClientHello')) {
      s.clientHello = packet;
      s.clientHelloTimeMs = this.currentTimeMs;
    }
    if (r.alert) {
      s.alertPackets.push({ packet, side, alert: r.alert, encrypted: r.encrypted });
      if (r.alert.name !== 'close_notify' && r.alert.name !== 'user_canceled') {
        const party = s.parties[side];
        const detail = this.alertDetail(s, side, r.alert);
        unit.failure = `${r.alert.name}: ${detail}`;
        this.diagnosis.refuse({
          packet,
          party,
          stage: 'tls',
          reason: r.alert.name,
          detail: `the ${partyLabel(party)} sent alert ${r.alert.name}${r.encrypted ? ' (encrypted; read with the key log)' : ''} — ${detail}`,
        });
      }
    }
    const done = tls.finished.client && tls.finished.server;
    if (done && s.handshakeDone === undefined) {
      s.handshakeDone = packet;
      this.diagnosis.reach(
        'tls',
        packet,
        `TLS ${tls.version} with ${tls.suite?.name ?? 'an unknown suite'}${tls.serverName ? ` to ${tls.serverName}` : ''}: both sides' Finished messages read`,
      );
    }
    // Without the keys, application data flowing both ways shows the handshake completed.
    if (!done && r.encrypted && !r.readable && s.handshakeDone === undefined && tls.version !== undefined) {
      const c = s.connection;
      if (c.bytes.client > 0 && c.bytes.server > 0 && this.states.get(c) && tls.records > 8) {
        this.diagnosis.reach(
          'tls',
          packet,
          `TLS ${tls.version}: encrypted records flow both ways (not decrypted: ${tls.problem ?? 'no keys'})`,
        );
      }
    }
  }

  /** What an alert means, with what the capture shows of the certificate it is about. */
  private alertDetail(s: ConnectionState, side: TcpSide, alert: TlsAlert): string {
    const tls = s.tls!;
    const meaning = alert.name === 'unknown' ? alert.reason : alertMeaning(alert.name);
    const peer = other(side);
    const cert = tls.certificates.find((c) => c.sender === peer);
    const whose = partyLabel(s.parties[peer]);
    switch (alert.name) {
      case 'unknown_ca':
        return cert
          ? `it does not trust the issuer of the ${whose}'s certificate: “${cert.subject}”, issued by “${cert.issuer}”`
          : `it does not trust the issuer of the ${whose}'s certificate (${meaning})`;
      case 'bad_certificate':
      case 'certificate_expired':
      case 'certificate_revoked':
      case 'unsupported_certificate':
        return cert ? `${meaning}: the ${whose}'s certificate “${cert.subject}”, issued by “${cert.issuer}”` : meaning;
      default:
        return meaning;
    }
  }

  private udpSipParties(h: CapturedHeaders, m: SipMessage | undefined): { from: Party; to: Party } {
    let from = this.roles.of(h.src, h.srcPort);
    const to = this.roles.of(h.dst, h.dstPort);
    if (!from) from = to ? flip(to)! : m?.kind === 'response' ? 'sbc' : 'pbx';
    this.roles.learn(h.src, h.srcPort, from);
    this.roles.learn(h.dst, h.dstPort, flip(from)!);
    return { from, to: flip(from)! };
  }

  private sipMessage(
    captured: CapturedSipMessage,
    from: Party,
    to: Party,
    transport: 'tls' | 'tcp' | 'udp',
    packet: number,
    timeMs: number,
  ): void {
    const m = captured.parsed.message;
    const callId = headerValue(m, 'Call-ID') ?? '';
    const cseq = headerValue(m, 'CSeq') ?? '';
    const method = cseq.split(/\s+/)[1] ?? (m.kind === 'request' ? m.method : '');
    const media = announcedMedia(m, from, packet);
    for (const a of media) {
      this.roles.learn(a.address, a.port, from);
      this.roles.learn(a.address, a.rtcpPort, from);
    }
    this.media.announce(media);
    this.sipCount++;
    if (this.sip.length < SIP_LISTED) {
      this.sip.push({
        packet,
        from,
        to,
        transport,
        message: m.kind === 'request' ? `${m.method} ${m.uri}` : `${m.status} ${m.reason}`,
        ...(callId ? { callId } : {}),
        ...(cseq ? { cseq } : {}),
        ...(media.length
          ? {
              sdp: media.map((a) => ({
                media: a.media,
                address: a.address,
                port: a.port,
                proto: a.proto,
                crypto: a.keys.map((k) => `${k.tag} ${k.suite}`),
              })),
            }
          : {}),
      });
    }
    const key = `${callId}|${method}`;
    if (m.kind === 'request') {
      // A new request in the same transaction chain answers a challenge (RFC 3261 §22.2): it is no failure.
      const open = this.challenges.get(key);
      if (open && (open.status === 401 || open.status === 407)) this.challenges.delete(key);
      if (m.method === 'INVITE') this.invites.set(callId, { packet, timeMs, party: from, answered: false });
      return;
    }
    if (m.status < 200) return;
    if (method === 'INVITE') {
      const invite = this.invites.get(callId);
      if (invite) invite.answered = true;
    }
    if (m.status >= 200 && m.status < 300) {
      this.challenges.delete(key);
      if (method === 'REGISTER')
        this.diagnosis.reach('registration', packet, `the ${partyLabel(from)} accepted the registration (200 OK)`);
      if (method === 'INVITE') {
        this.diagnosis.reach('call', packet, `the ${partyLabel(from)} answered the call (200 OK)`);
        this.answeredAt ??= packet;
      }
      return;
    }
    const warning = headerValue(m, 'Warning');
    this.challenges.set(key, {
      packet,
      party: from,
      status: m.status,
      method,
      detail: `the ${partyLabel(from)} answered the ${method || 'request'} with ${m.status} ${m.reason}${warning ? ` (Warning: ${warning})` : ''}`,
    });
  }

  private answeredAt?: number;

  private closeSip(): void {
    for (const c of this.challenges.values()) {
      this.diagnosis.refuse({
        packet: c.packet,
        party: c.party,
        stage: c.method === 'INVITE' && (c.status === 488 || c.status === 606) ? 'sdp' : 'sip',
        reason: String(c.status),
        detail: c.detail,
      });
    }
    for (const [, invite] of this.invites) {
      if (invite.answered || this.lastTimeMs - invite.timeMs < TIMER_B_MS) continue;
      this.diagnosis.refuse({
        packet: invite.packet,
        party: invite.party,
        stage: 'sip',
        reason: '408',
        detail: `the ${partyLabel(invite.party)}'s INVITE had no final answer within 32 s (Timer B, RFC 3261 §17.1.1.2)`,
      });
    }
  }

  private closeConnections(): void {
    for (const c of this.connections.all) {
      const s = this.states.get(c)!;
      const client = s.parties.client;
      if (c.syn !== undefined && c.synAck === undefined) {
        if (c.rst && c.rst.side === 'server') {
          this.diagnosis.refuse({
            packet: c.rst.packet,
            party: s.parties.server,
            stage: 'tcp',
            reason: 'connection_refused',
            detail: `the ${partyLabel(s.parties.server)} refused the TCP connection ${c.describe()} with RST: nothing listens on that port`,
          });
        } else {
          this.diagnosis.refuse({
            packet: c.syn,
            party: client,
            stage: 'tcp',
            reason: 'no_answer',
            detail: `the ${partyLabel(client)}'s SYN to ${formatCapturedEndpoint(c.server.ip, c.server.port)} had no answer${c.synCount > 1 ? ` (sent ${c.synCount} times)` : ''}: a firewall drops it, or the address is wrong`,
          });
        }
        continue;
      }
      if (
        s.content === 'tls' &&
        s.tls &&
        s.clientHello !== undefined &&
        s.tls.version === undefined &&
        s.alertPackets.length === 0
      ) {
        const server = s.parties.server;
        const serverSent = c.bytes.server > 0;
        if (serverSent) {
          this.diagnosis.refuse({
            packet: c.lastPacket,
            party: server,
            stage: 'tls',
            reason: 'not_tls',
            detail: `the ${partyLabel(server)} at ${formatCapturedEndpoint(c.server.ip, c.server.port)} answered the ClientHello (packet ${s.clientHello}) with bytes that are not TLS: the port speaks something else`,
          });
          continue;
        }
        const gaveUp = c.fin.client ?? (c.rst?.side === 'client' ? c.rst.packet : undefined);
        const waited = this.lastTimeMs - (s.clientHelloTimeMs ?? this.lastTimeMs);
        if (gaveUp !== undefined || waited >= HANDSHAKE_WAIT_MS) {
          this.diagnosis.refuse({
            packet: gaveUp ?? s.clientHello,
            party: client,
            stage: 'tls',
            reason: 'handshake_timeout',
            detail: `the ${partyLabel(client)} ${gaveUp !== undefined ? 'gave up after' : 'waited'} ${Math.round(waited / 1000)} s without an answer to its ClientHello (packet ${s.clientHello}): nothing at ${formatCapturedEndpoint(c.server.ip, c.server.port)} speaks TLS`,
          });
        }
      }
    }
    for (const s of this.states.values()) {
      if (
        s.content === 'tls' &&
        s.tls?.version &&
        s.handshakeDone === undefined &&
        s.alertPackets.length === 0 &&
        s.tls.problem
      ) {
        this.diagnosis.miss(
          'tls',
          `the TLS handshake of ${s.connection.describe()} was not decrypted: ${s.tls.problem}`,
        );
      }
    }
  }

  /** Whether the media flowed both ways, and if not, why. */
  private mediaStages(): void {
    const streams = this.media.all.filter((s) => s.packets > 0);
    const readable = (s: MediaStream) => s.decrypted > 0;
    const unreachable = (s: MediaStream) => this.unreachable(s);
    const reaching = streams.filter((s) => readable(s) && !unreachable(s));
    const to = new Set(reaching.map((s) => s.to));
    if (to.has('pbx') && to.has('sbc')) {
      const first = reaching.reduce((a, b) => (a.firstPacket < b.firstPacket ? a : b));
      this.diagnosis.reach(
        'media',
        first.firstPacket,
        `media both ways: ${reaching.map((s) => `${describeDirection(s)} ${s.decrypted} packets`).join(', ')}`,
      );
    }
    for (const s of streams) {
      if (s.keyMismatch && s.decrypted === 0 && s.to) {
        // The receiver holds the keys its peer's SDP gave (RFC 4568 §6.1): if they fail here, they fail there.
        this.diagnosis.refuse({
          packet: s.firstPacket,
          party: s.to,
          stage: 'srtp',
          reason: 'auth_failure',
          detail: `the ${partyLabel(s.to)} can authenticate none of the SRTP from ${formatCapturedEndpoint(s.src, s.srcPort)} (SSRC ${hex32(s.ssrc)}, ${s.packets} packets) and drops it all: ${s.problem}`,
        });
      }
      if (s.firstFailure) {
        const receiver = s.to ?? 'sbc';
        this.diagnosis.refuse({
          packet: s.firstFailure.packet,
          party: receiver,
          stage: 'srtp',
          reason: s.firstFailure.reason,
          detail: `the ${partyLabel(receiver)} drops SRTP from ${formatCapturedEndpoint(s.src, s.srcPort)} (SSRC ${hex32(s.ssrc)}): ${s.firstFailure.detail}${s.problem ? `; ${s.problem}` : ''} (${s.authFailures} authentication failures, ${s.replays} replays in ${s.packets} packets)`,
        });
      }
    }
    if (this.answeredAt === undefined) return;
    // A call was answered: audio must reach both sides.
    for (const party of ['pbx', 'sbc'] as const) {
      if (to.has(party)) continue;
      const lost = streams.find((s) => s.to === party && unreachable(s));
      const silent = streams.find((s) => s.from === party);
      const packet = lost?.firstPacket ?? silent?.firstPacket;
      if (packet === undefined) continue;
      this.diagnosis.refuse({
        packet,
        party,
        stage: 'srtp',
        reason: 'one_way_audio',
        detail: lost
          ? `the call connected, but the ${partyLabel(party)} receives no media: ${unreachable(lost)}`
          : `the call connected, but no media reaches the ${partyLabel(party)}: the other side sent none that the capture shows`,
      });
    }
  }

  /** Why a stream cannot reach its receiver: sent to a private address its receiver's signalling did not come from. */
  private unreachable(s: MediaStream): string | undefined {
    if (!s.to || !isPrivateAddress(s.dst)) return undefined;
    const signalling = this.sip.find((m) => m.from === s.to && m.sdp?.some((d) => d.address === s.dst));
    if (!signalling) return undefined;
    const from = [...this.states.values()].find((st) => st.parties.client === s.to || st.parties.server === s.to);
    const source = from
      ? from.parties.client === s.to
        ? from.connection.client.ip
        : from.connection.server.ip
      : undefined;
    if (!source || source === s.dst || isPrivateAddress(source)) return undefined;
    return `the ${partyLabel(s.from ?? flip(s.to)!)} sends it to ${formatCapturedEndpoint(s.dst, s.dstPort)}, a private address from the ${partyLabel(s.to)}'s SDP (packet ${signalling.packet}), while the ${partyLabel(s.to)}'s signalling comes from ${source}: the packets never reach it across the internet`;
  }

  private mediaVerdict(v: MediaVerdict): void {
    this.observer?.media(v);
  }

  private whyNoSdp(): string | undefined {
    for (const s of this.states.values()) {
      if (s.content === 'tls' && s.tls?.problem)
        return `the SIP that carries the SDP is inside TLS that was not decrypted: ${s.tls.problem}`;
    }
    return undefined;
  }

  private report(): CaptureReport {
    const tls: TlsReport[] = [];
    for (const s of this.states.values()) {
      if (s.content !== 'tls' || !s.tls) continue;
      const t = s.tls;
      tls.push({
        connection: s.connection.describe(),
        client: s.parties.client,
        server: s.parties.server,
        firstPacket: s.connection.firstPacket,
        ...(t.version ? { version: t.version } : {}),
        ...(t.suite ? { cipherSuite: t.suite.name } : {}),
        ...(t.serverName ? { serverName: t.serverName } : {}),
        ...(t.clientRandom ? { clientRandom: shortRandom(t.clientRandom) } : {}),
        decrypted: t.decrypted,
        records: t.records,
        opened: t.opened,
        handshake:
          s.handshakeDone !== undefined
            ? 'complete'
            : s.alertPackets.some((a) => a.alert.name !== 'close_notify')
              ? 'failed'
              : t.problem
                ? 'not decrypted'
                : 'incomplete',
        alerts: s.alertPackets.map((a) => ({
          packet: a.packet,
          from: s.parties[a.side],
          name: a.alert.name,
          encrypted: a.encrypted,
        })),
        certificates: t.certificates.map((c) => ({ from: s.parties[c.sender], subject: c.subject, issuer: c.issuer })),
        ...(t.problem ? { problem: t.problem } : {}),
      });
    }
    const media: MediaReport[] = this.media.all
      .filter((s) => s.packets > 0 || s.rtcp.packets > 0)
      .map((s) => {
        const unreachable = this.unreachable(s);
        return {
          ssrc: hex32(s.ssrc),
          direction: describeDirection(s),
          ...(s.from ? { from: s.from } : {}),
          ...(s.to ? { to: s.to } : {}),
          src: s.src ? formatCapturedEndpoint(s.src, s.srcPort) : '',
          dst: s.dst ? formatCapturedEndpoint(s.dst, s.dstPort) : '',
          protection: s.protection,
          ...(s.suite ? { suite: s.suite.name } : {}),
          ...(s.keySource ? { key: s.keySource } : {}),
          packets: s.packets,
          decrypted: s.decrypted,
          authFailures: s.authFailures,
          replays: s.replays,
          malformed: s.malformed,
          rtcp: { ...s.rtcp },
          firstPacket: s.firstPacket,
          lastPacket: s.lastPacket,
          ...(s.firstFailure ? { firstFailure: { ...s.firstFailure } } : {}),
          ...(s.problem ? { problem: s.problem } : {}),
          ...(unreachable ? { unreachable } : {}),
        };
      });
    const failure = this.diagnosis.failure;
    const calls = this.diagnosis.isReached('call');
    const summary = calls
      ? this.diagnosis.isReached('media')
        ? 'The call was answered and carried media both ways.'
        : 'The call was answered.'
      : this.diagnosis.isReached('registration')
        ? 'The trunk registered; the capture holds no call.'
        : this.sipCount > 0
          ? 'SIP was exchanged without a failure; the capture holds no call.'
          : 'Nothing failed in what the capture holds.';
    return {
      outcome: this.diagnosis.outcome(summary, this.unread()),
      capture: {
        ...(this.reader.format ? { format: this.reader.format } : {}),
        packets: this.packets,
        ipPackets: this.ipPackets,
        unreadable: this.unreadable,
        durationMs: this.firstTimeMs === undefined ? 0 : this.lastTimeMs - this.firstTimeMs,
      },
      keyLog: {
        secrets: this.secrets.count,
        fromCapture: this.secretsFromCapture,
        skippedLines: this.secrets.skipped,
        problems: this.secrets.problems.map((p) => p.message),
      },
      stages: this.diagnosis.stages(),
      failure,
      tls,
      sip: this.sip,
      sipNotListed: this.sipCount - this.sip.length,
      media,
    };
  }

  /** What the capture holds but could not read, when nothing else failed: SIP inside TLS, or SRTP, without keys. */
  private unread(): { stage: 'tls' | 'srtp'; summary: string } | undefined {
    for (const s of this.states.values()) {
      const t = s.tls;
      if (s.content !== 'tls' || !t?.problem || s.sip.client || s.sip.server) continue;
      return {
        stage: 'tls',
        summary: `The SIP travels inside TLS that was not decrypted (${s.connection.describe()}: ${t.problem}): give its key log (--keylog, or a pcapng with a Decryption Secrets Block) to see the registration, the call and the media keys.`,
      };
    }
    const streams = this.media.all.filter((m) => m.packets > 0);
    if (streams.length > 0 && streams.every((m) => m.decrypted === 0)) {
      return {
        stage: 'srtp',
        summary: `The media was not decrypted: ${streams[0].problem ?? 'no key for it'}.`,
      };
    }
    return undefined;
  }

  /** The packet being read, for messages that name it. */
  get packetNumber(): number {
    return this.current;
  }
}

function other(side: TcpSide): TcpSide {
  return side === 'client' ? 'server' : 'client';
}

function flip(p: Party | undefined): Party | undefined {
  return p === 'pbx' ? 'sbc' : p === 'sbc' ? 'pbx' : undefined;
}
