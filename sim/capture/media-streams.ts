/**
 * The media of a captured call: each RTP stream (one source, destination and
 * SSRC, RFC 3550 §8) and the RTCP of its sender, decrypted with the SDES key
 * that protects it (RFC 4568; RFC 3711 §3.3, §3.4) as its receiver would.
 *
 * 1. A stream's key is found from the SDP offers and answers read so far
 *    (announced-media.ts): the stream sent to an announced address is sent
 *    by the other side of that call, with a key from that side's SDP; failing
 *    that, the stream sent from an announced address (symmetric RTP) uses
 *    that SDP's key; then any key given by hand (`--key`).
 * 2. Of the candidate keys, the one whose tags verify on the stream's first
 *    packets is used, with the rollover counter found the same way when the
 *    capture began after the sequence number wrapped (RFC 3711 §3.3.1).
 *    Packets that arrive before the SDP that keys them wait for it, a few at most.
 * 3. Every packet is then unprotected with a real receiver's context: the ROC
 *    follows the wraps, the replay list drops copies (§3.3.2), a tag that does
 *    not verify drops the packet (§3.3 step 5). A copy of a packet already
 *    received whose tag does not verify was changed on the way: it is counted
 *    as an authentication failure rather than a replay. When nobody reads the
 *    plaintext (`trunklab analyze`: no listener, no audio kept), the receiver's
 *    verdict is computed without the keystream: a packet whose tag verifies
 *    always decrypts.
 *
 * Nothing here keeps the packets: counters and a few samples per stream, so
 * memory stays flat however long the call.
 */
import type { Party } from '../timeline';
import { describePayloadType } from '../rtp/rtp-packet';
import { looksLikeRtcp, looksLikeRtp } from '../rtp/rtp-stream-finder';
import { SrtpContext, type Dropped } from '../rtp/srtp-context';
import { MAX_ROC_GUESS } from '../rtp/capture-decryption';
import { SRTP_SUITES, suitesForKeyLength, type SrtpSuite } from '../rtp/srtp-suite';
import type { SdesKey } from '../rtp/sdes-key';
import { isSecureProfile, isSupportedSuite, type AnnouncedMedia } from './announced-media';
import { formatCapturedEndpoint } from './captured-packet';

export type MediaKind = 'SRTP' | 'SRTCP' | 'RTP' | 'RTCP';

/** What became of one media packet, as its receiver would have it. */
export type MediaOutcome =
  /** SRTP or SRTCP that authenticated and was decrypted. */
  | 'decrypted'
  /** Plain RTP or RTCP (the SDP said RTP/AVP). */
  | 'plain'
  | 'auth_failure'
  | 'replay'
  /** Too short or not RTP (RFC 3550 §5.1), or cut short by the capture. */
  | 'malformed'
  /** No key for it: it stays encrypted. */
  | 'not_decrypted';

export interface MediaVerdict {
  packet: number;
  kind: MediaKind;
  stream: MediaStream;
  outcome: MediaOutcome;
  /** Why it failed, for failures. */
  detail?: string;
  /** The plain RTP or RTCP packet, when it was read and the caller asked for it. */
  plain?: Uint8Array;
  /** A copy of a packet already received: sent again as it was, or changed (its tag no longer verifies). */
  copy?: 'replayed' | 'tampered';
}

interface Candidate {
  suite: SrtpSuite;
  keySalt: Uint8Array;
  mki?: Uint8Array;
  /** Where the key came from: `a=crypto:1 in the INVITE (packet 25)`. */
  source: string;
}

export interface MediaStream {
  id: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  ssrc: number;
  from?: Party;
  to?: Party;
  /** `SRTP` when keyed or announced as SRTP; `RTP` when the SDP said plain RTP. */
  protection: 'SRTP' | 'RTP' | 'unknown';
  suite?: SrtpSuite;
  keySource?: string;
  /** Why the stream is not decrypted, in words. */
  problem?: string;
  /**
   * The sender's SDP gave keys, and none verifies the stream's tags: its
   * receiver, holding the same keys, drops every packet (RFC 3711 §3.3 step 5).
   */
  keyMismatch?: boolean;
  roc?: number;
  packets: number;
  decrypted: number;
  authFailures: number;
  replays: number;
  malformed: number;
  firstPacket: number;
  lastPacket: number;
  firstFailure?: { packet: number; reason: MediaOutcome; detail: string };
  payloadTypes: number[];
  rtcp: { packets: number; decrypted: number; authFailures: number; replays: number };
  /** The announcement of the receiving side, when one names the destination. */
  receiver?: AnnouncedMedia;
  context?: SrtpContext;
  decided: boolean;
  pending: Array<{ packet: number; payload: Uint8Array; cut: boolean }>;
  /** Decrypted (or plain) G.711 payloads in play-out order, when audio is kept. */
  audio?: Uint8Array[];
  audioBytes: number;
  audioLaw?: 'pcmu' | 'pcma';
}

export interface MediaStreamsOptions {
  /** Keys given by hand, tried on every stream the SDP does not key. */
  keys?: SdesKey[];
  /** Hand each verdict the decrypted packet (for the Timeline's steps). */
  keepPlain?: boolean;
  /** Keep decrypted G.711 payloads per stream, up to this many bytes (0: none). */
  audioBytes?: number;
  /** Who an address belongs to when no SDP says. */
  partyOf?: (ip: string, port: number) => Party | undefined;
  /** Why the capture may hold no SDP for a stream (SIP inside TLS that was not decrypted), for the sentences. */
  whyNoSdp?: () => string | undefined;
}

/** Packets a stream keeps while it waits for the SDP that keys it. */
const MAX_PENDING = 64;
/** Streams looked up by their fields before the map: both directions of a call or two. */
const RECENT = 4;
/** Packets whose tags are tried before a candidate key is declared wrong. */
const SAMPLES = 4;

export class MediaStreams {
  private readonly streams = new Map<string, MediaStream>();
  private readonly announced: AnnouncedMedia[] = [];
  /** SRTCP waiting for the RTP stream of its SSRC. */
  private readonly rtcpPending: Array<{
    packet: number;
    src: string;
    srcPort: number;
    dst: string;
    dstPort: number;
    ssrc: number;
    payload: Uint8Array;
  }> = [];
  private readonly out = new Uint8Array(65536);
  private readonly recent: MediaStream[] = [];
  private nextId = 1;

  /**
   * `onVerdict` hears every packet's verdict; without it (`trunklab analyze`), a packet that decrypts costs
   * no verdict and no view of its plaintext, only its counters.
   */
  constructor(
    private readonly onVerdict: ((v: MediaVerdict) => void) | undefined,
    private readonly options: MediaStreamsOptions = {},
  ) {}

  get all(): MediaStream[] {
    return [...this.streams.values()];
  }

  /** An SDP offer or answer was read: streams waiting for a key may now have one. */
  announce(media: AnnouncedMedia[]): void {
    if (media.length === 0) return;
    this.announced.push(...media);
    for (const s of this.streams.values()) if (!s.decided) this.tryDecide(s, false);
  }

  /** Whether an address and port are ones an SDP announced for media (RTP or RTCP). */
  isAnnounced(ip: string, port: number): boolean {
    return this.announced.some((a) => a.address === ip && (a.port === port || a.rtcpPort === port));
  }

  /**
   * A UDP datagram that may be media. Returns false when it is neither RTP
   * nor RTCP; otherwise its verdict is given to `onVerdict`, now or once the
   * stream's key is known.
   */
  offer(
    packet: number,
    src: string,
    srcPort: number,
    dst: string,
    dstPort: number,
    payload: Uint8Array,
    cut: boolean,
  ): boolean {
    if (looksLikeRtcp(payload)) {
      this.rtcpPacket(packet, src, srcPort, dst, dstPort, payload);
      return true;
    }
    if (!looksLikeRtp(payload)) return false;
    const ssrc = ((payload[8] << 24) | (payload[9] << 16) | (payload[10] << 8) | payload[11]) >>> 0;
    // A call alternates between a few streams: look among the last ones before building a key.
    let s: MediaStream | undefined;
    for (const r of this.recent) {
      if (r.ssrc === ssrc && r.srcPort === srcPort && r.dstPort === dstPort && r.src === src && r.dst === dst) {
        s = r;
        break;
      }
    }
    if (!s) {
      const key = `${src}|${srcPort}|${dst}|${dstPort}|${ssrc}`;
      s = this.streams.get(key);
      if (!s) {
        s = this.newStream(packet, src, srcPort, dst, dstPort, ssrc);
        this.streams.set(key, s);
      }
      this.recent.unshift(s);
      if (this.recent.length > RECENT) this.recent.pop();
    }
    s.packets++;
    s.lastPacket = packet;
    const pt = payload[1] & 0x7f;
    if (s.payloadTypes.length < 8 && !s.payloadTypes.includes(pt)) s.payloadTypes.push(pt);
    if (s.decided) {
      this.process(s, packet, payload, cut);
    } else {
      s.pending.push({ packet, payload: payload.slice(), cut });
      this.tryDecide(s, false);
    }
    return true;
  }

  /** The capture ended: streams still waiting decide with what they have. */
  finish(): void {
    for (const s of this.streams.values()) if (!s.decided) this.tryDecide(s, true);
    for (const r of this.rtcpPending.splice(0)) this.rtcpVerdict(r.packet, undefined, r.payload, r.ssrc);
  }

  private newStream(
    packet: number,
    src: string,
    srcPort: number,
    dst: string,
    dstPort: number,
    ssrc: number,
  ): MediaStream {
    return {
      id: this.nextId++,
      src,
      srcPort,
      dst,
      dstPort,
      ssrc,
      protection: 'unknown',
      packets: 0,
      decrypted: 0,
      authFailures: 0,
      replays: 0,
      malformed: 0,
      firstPacket: packet,
      lastPacket: packet,
      payloadTypes: [],
      rtcp: { packets: 0, decrypted: 0, authFailures: 0, replays: 0 },
      decided: false,
      pending: [],
      audioBytes: 0,
    };
  }

  /** The announcement whose address the stream is sent to, and the sender's SDPs in the same call. */
  private match(src: string, srcPort: number, dst: string, dstPort: number, rtcp: boolean) {
    const port = (a: AnnouncedMedia) => (rtcp ? (a.rtcpMux ? a.port : a.rtcpPort) : a.port);
    const latest = (list: AnnouncedMedia[]) => list.sort((a, b) => b.packet - a.packet);
    const receiver = latest(this.announced.filter((a) => a.address === dst && port(a) === dstPort))[0];
    if (receiver) {
      const senders = latest(
        this.announced.filter(
          (a) => a.callId === receiver.callId && a.party !== receiver.party && a.media === receiver.media,
        ),
      );
      return { receiver, senders };
    }
    const senders = latest(this.announced.filter((a) => a.address === src && port(a) === srcPort));
    return { receiver: undefined, senders };
  }

  private candidates(senders: AnnouncedMedia[]): { list: Candidate[]; unsupported: string[] } {
    const list: Candidate[] = [];
    const unsupported: string[] = [];
    for (const a of senders) {
      for (const k of a.keys) {
        if (!isSupportedSuite(k.suite)) {
          unsupported.push(k.suite);
          continue;
        }
        list.push({
          suite: SRTP_SUITES[k.suite],
          keySalt: k.keySalt,
          ...(k.mki ? { mki: k.mki } : {}),
          source: `a=crypto:${k.tag} ${k.suite} in the ${a.message} (packet ${a.packet})`,
        });
      }
    }
    (this.options.keys ?? []).forEach((k, i) => {
      const suites = k.suite ? [SRTP_SUITES[k.suite]] : suitesForKeyLength(k.keySalt.length);
      for (const suite of suites) {
        list.push({
          suite,
          keySalt: k.keySalt,
          ...(k.mki ? { mki: k.mki.bytes } : {}),
          source: `--key ${i + 1} as ${suite.name}`,
        });
      }
    });
    return { list, unsupported };
  }

  private tryDecide(s: MediaStream, ending: boolean): void {
    const { receiver, senders } = this.match(s.src, s.srcPort, s.dst, s.dstPort, false);
    s.receiver = receiver;
    const partyOf = this.options.partyOf ?? (() => undefined);
    s.to = receiver?.party ?? partyOf(s.dst, s.dstPort);
    s.from = senders[0]?.party ?? (s.to ? other(s.to) : partyOf(s.src, s.srcPort));
    const announcedPlain = (receiver ?? senders[0]) && !isSecureProfile((receiver ?? senders[0])!.proto);
    if (announcedPlain) {
      s.protection = 'RTP';
      return this.decide(s);
    }
    const { list, unsupported } = this.candidates(senders);
    if (list.length > 0) {
      const samples = s.pending.filter((p) => !p.cut).slice(0, SAMPLES);
      for (const c of list) {
        const ctx = SrtpContext.fromKeySalt(c.suite, c.keySalt, { mki: c.mki });
        for (const sample of samples) {
          for (let roc = 0; roc <= MAX_ROC_GUESS; roc++) {
            if (!ctx.authenticates(sample.payload, roc)) continue;
            s.protection = 'SRTP';
            s.suite = c.suite;
            s.keySource = c.source;
            s.roc = roc;
            s.context = SrtpContext.fromKeySalt(c.suite, c.keySalt, { mki: c.mki, initialRoc: roc });
            return this.decide(s);
          }
        }
      }
      if (samples.length < SAMPLES && !ending) return;
      s.protection = 'SRTP';
      const offered = [...new Set(list.map((c) => c.suite.name))].join(' or ');
      s.keyMismatch = true;
      s.problem = `the SDP offers ${offered} (${list[0].source}), but the stream's tags do not verify with ${list.length > 1 ? 'any of those keys' : 'that key'}: another key, suite or MKI protects it`;
      s.suite = list[0].suite;
      s.context = SrtpContext.fromKeySalt(list[0].suite, list[0].keySalt, { mki: list[0].mki });
      return this.decide(s);
    }
    if (unsupported.length > 0) {
      s.protection = 'SRTP';
      s.problem = `the SDP keys it with ${unsupported[0]}, a suite this lab does not implement`;
      return this.decide(s);
    }
    if (receiver || senders.length > 0) {
      s.protection = 'SRTP';
      s.problem = `the SDP (${(receiver ?? senders[0]).message}, packet ${(receiver ?? senders[0]).packet}) announces ${(receiver ?? senders[0]).proto} but the other side's SDP with its a=crypto key is not in the capture`;
      return ending || s.pending.length >= MAX_PENDING ? this.decide(s) : undefined;
    }
    if (!ending && s.pending.length < MAX_PENDING) return;
    const why = this.options.whyNoSdp?.();
    s.problem = `no SDP in the capture describes ${formatCapturedEndpoint(s.src, s.srcPort)} → ${formatCapturedEndpoint(s.dst, s.dstPort)}${why ? ` (${why})` : ''}; give its key with --key`;
    this.decide(s);
  }

  private decide(s: MediaStream): void {
    s.decided = true;
    if (this.options.audioBytes && s.payloadTypes.some((pt) => pt === 0 || pt === 8)) s.audio = [];
    for (const p of s.pending.splice(0)) this.process(s, p.packet, p.payload, p.cut);
    // SRTCP of this sender that arrived before the stream was keyed.
    for (let i = 0; i < this.rtcpPending.length;) {
      const r = this.rtcpPending[i];
      if (r.ssrc === s.ssrc && r.src === s.src) {
        this.rtcpPending.splice(i, 1);
        this.rtcpVerdict(r.packet, s, r.payload, r.ssrc);
      } else i++;
    }
  }

  private process(s: MediaStream, packet: number, payload: Uint8Array, cut: boolean): void {
    const kind: MediaKind = s.protection === 'RTP' ? 'RTP' : 'SRTP';
    if (cut) {
      s.malformed++;
      return this.verdict(s, {
        packet,
        kind,
        stream: s,
        outcome: 'malformed',
        detail: 'the capture cut the packet short (snap length): its tag cannot be checked',
      });
    }
    if (s.protection === 'RTP') {
      s.decrypted++;
      this.keepAudio(s, payload, 12 + 4 * (payload[0] & 0x0f));
      return this.verdict(s, {
        packet,
        kind,
        stream: s,
        outcome: 'plain',
        ...(this.options.keepPlain ? { plain: payload.slice() } : {}),
      });
    }
    const ctx = s.context;
    if (!ctx || s.problem) {
      return this.verdict(s, { packet, kind, stream: s, outcome: 'not_decrypted', detail: s.problem });
    }
    // Without a listener or kept audio nobody reads the plaintext: the receiver's verdict is all that counts.
    if (!this.onVerdict && !s.audio) {
      const dropped = ctx.acceptWithoutDecrypting(payload);
      if (!dropped) {
        s.decrypted++;
        return;
      }
      return this.dropped(s, packet, payload, dropped);
    }
    const r = ctx.unprotectInto(payload, this.out);
    if (r.ok) {
      s.decrypted++;
      const plain = this.out.subarray(0, r.length);
      this.keepAudio(s, plain, 12 + 4 * (plain[0] & 0x0f));
      return this.verdict(s, {
        packet,
        kind,
        stream: s,
        outcome: 'decrypted',
        ...(this.options.keepPlain ? { plain: plain.slice() } : {}),
      });
    }
    this.dropped(s, packet, payload, r);
  }

  /** A packet its receiver dropped: a replay, a changed copy of a packet already received, or a failure. */
  private dropped(s: MediaStream, packet: number, payload: Uint8Array, r: Dropped): void {
    const ctx = s.context!;
    const kind: MediaKind = 'SRTP';
    if (
      r.reason === 'replay' &&
      r.index !== undefined &&
      r.index >= 0 &&
      !ctx.authenticates(payload, Math.floor(r.index / 65536))
    ) {
      s.authFailures++;
      return this.verdict(s, {
        packet,
        kind,
        stream: s,
        outcome: 'auth_failure',
        copy: 'tampered',
        detail: `a packet with the index of one already received (${r.index}) whose tag does not verify: it was changed on the way`,
      });
    }
    const outcome: MediaOutcome =
      r.reason === 'replay' ? 'replay' : r.reason === 'malformed' ? 'malformed' : 'auth_failure';
    if (outcome === 'replay') s.replays++;
    else if (outcome === 'malformed') s.malformed++;
    else s.authFailures++;
    this.verdict(s, {
      packet,
      kind,
      stream: s,
      outcome,
      detail: r.detail,
      ...(outcome === 'replay' ? { copy: 'replayed' } : {}),
    });
  }

  private verdict(s: MediaStream, v: MediaVerdict): void {
    if ((v.outcome === 'auth_failure' || v.outcome === 'replay') && !s.firstFailure) {
      s.firstFailure = { packet: v.packet, reason: v.outcome, detail: v.detail ?? '' };
    }
    this.onVerdict?.(v);
  }

  private keepAudio(s: MediaStream, plain: Uint8Array, headerLength: number): void {
    if (!s.audio || s.audioBytes >= (this.options.audioBytes ?? 0)) return;
    const pt = plain[1] & 0x7f;
    if (pt !== 0 && pt !== 8) return;
    s.audioLaw ??= pt === 0 ? 'pcmu' : 'pcma';
    const padding = plain[0] & 0x20 ? plain[plain.length - 1] : 0;
    const payload = plain.slice(headerLength, plain.length - padding);
    s.audio.push(payload);
    s.audioBytes += payload.length;
  }

  private rtcpPacket(
    packet: number,
    src: string,
    srcPort: number,
    dst: string,
    dstPort: number,
    payload: Uint8Array,
  ): void {
    const ssrc = ((payload[4] << 24) | (payload[5] << 16) | (payload[6] << 8) | payload[7]) >>> 0;
    // The sender's RTP stream: same source address, same SSRC (RFC 3550 §6.4.1).
    let owner: MediaStream | undefined;
    for (const s of this.streams.values()) {
      if (s.ssrc === ssrc && s.src === src) {
        owner = s;
        break;
      }
    }
    if (owner?.decided) return this.rtcpVerdict(packet, owner, payload, ssrc);
    this.rtcpPending.push({ packet, src, srcPort, dst, dstPort, ssrc, payload: payload.slice() });
    if (this.rtcpPending.length > MAX_PENDING) {
      const r = this.rtcpPending.shift()!;
      this.rtcpVerdict(r.packet, undefined, r.payload, r.ssrc);
    }
  }

  private rtcpVerdict(packet: number, s: MediaStream | undefined, payload: Uint8Array, ssrc: number): void {
    if (!s) {
      // RTCP from a sender whose RTP never showed: counted on a stream of its own.
      const key = `rtcp|${ssrc}`;
      s = this.streams.get(key);
      if (!s) {
        s = this.newStream(packet, '', 0, '', 0, ssrc);
        s.decided = true;
        s.problem = 'SRTCP whose sender sent no RTP in the capture';
        this.streams.set(key, s);
      }
    }
    s.rtcp.packets++;
    if (s.protection === 'RTP') {
      s.rtcp.decrypted++;
      return this.onVerdict?.({
        packet,
        kind: 'RTCP',
        stream: s,
        outcome: 'plain',
        ...(this.options.keepPlain ? { plain: payload.slice() } : {}),
      });
    }
    if (!s.context || s.problem) {
      return this.onVerdict?.({ packet, kind: 'SRTCP', stream: s, outcome: 'not_decrypted', detail: s.problem });
    }
    const r = s.context.unprotectRtcp(payload);
    if (r.ok) {
      s.rtcp.decrypted++;
      return this.onVerdict?.({
        packet,
        kind: 'SRTCP',
        stream: s,
        outcome: 'decrypted',
        ...(this.options.keepPlain ? { plain: r.packet } : {}),
      });
    }
    if (r.reason === 'replay') s.rtcp.replays++;
    else s.rtcp.authFailures++;
    this.onVerdict?.({
      packet,
      kind: 'SRTCP',
      stream: s,
      outcome: r.reason === 'replay' ? 'replay' : r.reason === 'malformed' ? 'malformed' : 'auth_failure',
      detail: r.detail,
    });
  }
}

function other(p: Party): Party {
  return p === 'pbx' ? 'sbc' : 'pbx';
}

/** `PBX → SBC`. */
export function describeDirection(s: MediaStream): string {
  const name = (p: Party | undefined) =>
    p === 'pbx' ? 'PBX' : p === 'sbc' ? 'SBC' : p === 'attacker' ? 'attacker' : 'unknown';
  return `${name(s.from)} → ${name(s.to)}`;
}

export function describeStreamTypes(s: MediaStream): string {
  return s.payloadTypes.map(describePayloadType).join(', ');
}
