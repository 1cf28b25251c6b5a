/**
 * A capture's packets as Timeline steps, shaped as a simulated run's are
 * (timeline.ts): each packet's exact IP bytes with a field tree that covers
 * every byte, built by the same parsers (IPv4 RFC 791, IPv6 RFC 8200, TCP RFC
 * 9293, UDP RFC 768, TLS records RFC 8446 §5, SIP RFC 3261 §7, SRTP RFC 3711
 * §3.1); what each party could read of it; the keys they held; the ladder
 * label, the explanation and the failure it carries.
 *
 * Who reads what in a capture:
 * - the PBX and the SBC are its endpoints: each reads what it sent and what
 *   it received, and the lab shows that content when the key log's secrets
 *   (and the SDP's SDES keys) opened it;
 * - the third view is anyone else on the path: what a tap computes from the
 *   bytes alone (net/tap.ts's lenses), which is what the capture gives away
 *   without its key log.
 *
 * A TCP segment's bytes are explained by the units of its stream they belong
 * to (TLS records, SIP messages), cut at the segment's edges as the lab's own
 * network cuts them (net/annotated-stream.ts). A unit may end in a later
 * segment, so a step waits until every unit its bytes touch is complete; a
 * media packet waits for its stream's key. Steps still come out in capture
 * order, and the wait is bounded: past it, what is known is shown.
 */
import type { CallAudio, DecodedLayer, KeyEvent, Party, PartyView, Protocol, StateEvent, Step } from '../timeline';
import { PARTIES } from '../timeline';
import type { Field } from '../wire/field';
import { toHex } from '../wire/bytes';
import { isParseError } from '../wire/parse-error';
import { clipFields } from '../net/annotated-stream';
import { readPacket } from '../net/packet';
import { readIpv6Packet } from '../net/ipv6';
import { readTcpSegment } from '../net/tcp-segment';
import { readUdpDatagram } from '../net/udp';
import type { WirePacket } from '../net/wire-record';
import { TlsLens } from '../net/tls-lens';
import { SipDatagramLens, SipStreamLens } from '../net/sip-lens';
import { RtpLens } from '../net/rtp-lens';
import type { DatagramLens, Fact, Revelation, StreamLens, TapMemory } from '../net/tap';
import { TlsFailure } from '../tls/alert';
import { looksLikeRtcp, looksLikeRtp } from '../rtp/rtp-stream-finder';
import { parseRtpPacket } from '../rtp/rtp-packet';
import { parseRtcpCompound } from '../rtp/rtcp-packet';
import { describeSrtcpPacket, describeSrtpPacket } from '../rtp/srtp-packet-fields';
import type { SipMessage } from '../sip/message';
import { explainStep, type ExplanationContext } from '../scenarios/explanations';
import { tcpLabel } from '../scenarios/timeline-steps';
import type { StepNote } from '../scenarios/step-ledger';
import { phaseOf } from '../scenarios/phase-of-step';
import { formatCapturedEndpoint, type CapturedHeaders } from './captured-packet';
import type { CaptureObserver, SeenPacket, StreamUnit } from './capture-analysis';
import type { MediaStream, MediaVerdict } from './media-streams';
import type { SipPiece } from './sip-reading';
import type { TcpConnection, TcpSide } from './tcp-connections';
import type { KeyDerivation } from '../tls/key-derivation';

/** Steps a Timeline holds at most; the diagnosis still reads every packet. */
export const MAX_CAPTURE_STEPS = 20_000;
/** Packets that may wait for the rest of their units or their key before they are shown as they are. */
const MAX_WAITING = 2_000;
/** Explained units kept per direction of a stream, for retransmissions that repeat their bytes. */
const SPANS_KEPT = 256;

const NAMES: Record<Party, string> = { pbx: 'PBX', attacker: 'attacker', sbc: 'SBC' };

interface Span {
  start: number;
  end: number;
  unit: StreamUnit;
  /** Steps that carried bytes of it so far. */
  carried: number;
}

interface Entry {
  packet: SeenPacket;
  from: Party;
  to: Party;
  connection?: TcpConnection;
  side?: TcpSide;
  offset?: number;
  sip?: SipPiece;
  media?: MediaVerdict;
  expectMedia: boolean;
  revelations: Revelation[];
  /** The stream had already delivered every byte of this segment: sent again as they were, or changed. */
  copy?: 'same' | 'changed';
}

export interface CaptureStepsOptions {
  maxSteps?: number;
  /** Hears each step as soon as it is final. */
  onStep?: (step: Step) => void;
}

export class CaptureSteps implements CaptureObserver, TapMemory {
  readonly steps: Step[] = [];
  /** Trunk packets not made into steps because the Timeline was full. */
  notShown = 0;
  /** Packets between hosts that are neither the PBX nor the SBC, or not TCP or UDP. */
  otherTraffic = 0;
  readonly knowledge: Fact[] = [];
  readonly notes = new Map<string, unknown>();
  private readonly waiting: Entry[] = [];
  private readonly byNumber = new Map<number, Entry>();
  private readonly spans = new Map<string, Span[]>();
  private readonly streamLenses = new Map<string, StreamLens | undefined>();
  private readonly datagramLenses = new Map<string, DatagramLens>();
  private readonly keyedStreams = new Set<MediaStream>();
  private firstTimeMs?: number;
  private readonly maxSteps: number;
  /** What the explanations need to know about this trunk, learnt as the capture is read. */
  readonly context: ExplanationContext = {
    carrier: { customer: { pbxIp: '' }, sbc: { ip: '', tlsPort: 5061, plainPort: 5060 } },
    definition: { article: '/docs/troubleshooting/', title: 'Troubleshooting a secure trunk' },
  };

  constructor(private readonly options: CaptureStepsOptions = {}) {
    this.maxSteps = options.maxSteps ?? MAX_CAPTURE_STEPS;
  }

  packet(p: SeenPacket): void {
    // Every callback about the packets before this one has come: those that are ready can go.
    this.pump(false);
    this.firstTimeMs ??= p.timeMs;
    const from = p.from ?? flip(p.to);
    const to = p.to ?? flip(p.from);
    if (!from || !to || p.headers.transport === 'other') {
      this.otherTraffic++;
      return;
    }
    if (this.steps.length + this.waiting.length >= this.maxSteps) {
      this.notShown++;
      return;
    }
    if (from === 'pbx' && !this.context.carrier.customer.pbxIp) this.context.carrier.customer.pbxIp = p.headers.src;
    // The packet's bytes are a view into the reader's buffer: keep a copy, and the headers' payload as a view of it.
    const ip = p.ip.slice();
    const headers: CapturedHeaders = {
      ...p.headers,
      payload: ip.subarray(p.headers.payloadOffset, p.headers.payloadOffset + p.headers.payload.length),
    };
    const udp = headers.transport === 'udp';
    const entry: Entry = {
      packet: { ...p, ip, headers },
      from,
      to,
      expectMedia: udp && (looksLikeRtp(headers.payload) || looksLikeRtcp(headers.payload)),
      revelations: [],
    };
    this.waiting.push(entry);
    this.byNumber.set(p.number, entry);
  }

  segment(
    packet: number,
    connection: TcpConnection,
    side: TcpSide,
    offset: number | undefined,
    copy: 'same' | 'changed' | undefined,
  ): void {
    const e = this.byNumber.get(packet);
    if (!e) return;
    e.connection = connection;
    e.side = side;
    e.offset = offset;
    e.copy = copy;
    if (side === 'server' && connection.server.port && !this.context.carrier.sbc.ip) {
      this.context.carrier.sbc.ip = connection.server.ip;
    }
  }

  chunk(
    packet: number,
    connection: TcpConnection,
    side: TcpSide,
    bytes: Uint8Array,
    content: 'tls' | 'sip' | 'other',
  ): void {
    const key = `${connection.id}|${side}`;
    if (!this.streamLenses.has(key)) {
      const sender = side === 'client' ? 'PBX' : 'SBC';
      this.streamLenses.set(
        key,
        content === 'tls' ? new TlsLens(sender) : content === 'sip' ? new SipStreamLens(sender, this) : undefined,
      );
      if (content === 'tls' && side === 'client') this.context.carrier.sbc.tlsPort = connection.server.port;
    }
    const lens = this.streamLenses.get(key);
    const e = this.byNumber.get(packet);
    if (lens && e) e.revelations.push(...lens.read(bytes));
  }

  units(_packet: number, connection: TcpConnection, side: TcpSide, units: StreamUnit[]): void {
    const key = `${connection.id}|${side}`;
    let list = this.spans.get(key);
    if (!list) this.spans.set(key, (list = []));
    for (const u of units) list.push({ start: u.start, end: u.end, unit: u, carried: 0 });
    if (list.length > SPANS_KEPT) list.splice(0, list.length - SPANS_KEPT);
  }

  sipDatagram(packet: number, piece: SipPiece): void {
    const e = this.byNumber.get(packet);
    if (!e) return;
    e.sip = piece;
    e.expectMedia = false;
    const h = e.packet.headers;
    const key = `${h.src}|${h.srcPort}|${h.dst}|${h.dstPort}`;
    let lens = this.datagramLenses.get(key);
    if (!lens) this.datagramLenses.set(key, (lens = new SipDatagramLens(NAMES[e.from], this)));
    e.revelations.push(lens.read(h.payload));
  }

  media(v: MediaVerdict): void {
    const e = this.byNumber.get(v.packet);
    if (!e) return;
    e.media = v;
    const h = e.packet.headers;
    const key = `${h.src}|${h.srcPort}|${h.dst}|${h.dstPort}`;
    let lens = this.datagramLenses.get(key);
    if (!lens) {
      const flow = {
        transport: 'udp' as const,
        src: { ip: h.src, port: h.srcPort },
        dst: { ip: h.dst, port: h.dstPort },
      };
      this.datagramLenses.set(key, (lens = new RtpLens(flow, NAMES[e.from], this)));
    }
    e.revelations.push(lens.read(h.payload));
  }

  end(): void {
    this.pump(true);
  }

  /** Turns waiting packets into steps, in order, as far as they are ready (all of them at the end). */
  private pump(flush: boolean): void {
    while (this.waiting.length > 0) {
      const e = this.waiting[0];
      if (!flush && this.waiting.length <= MAX_WAITING && !this.ready(e)) return;
      this.waiting.shift();
      this.byNumber.delete(e.packet.number);
      const step = this.step(e);
      this.steps.push(step);
      this.options.onStep?.(step);
    }
  }

  private ready(e: Entry): boolean {
    const h = e.packet.headers;
    if (h.transport === 'udp') return !e.expectMedia || e.media !== undefined || e.sip !== undefined;
    if (h.payload.length === 0) return true;
    if (e.offset === undefined || !e.connection || !e.side) return true;
    return this.covered(`${e.connection.id}|${e.side}`, e.offset, e.offset + h.payload.length);
  }

  /** Whether explained units cover stream bytes [from, to). */
  private covered(key: string, from: number, to: number): boolean {
    const list = this.spans.get(key);
    if (!list || list.length === 0) return false;
    // A retransmission of bytes whose units were let go is shown as it is.
    if (list[0].start > from) return true;
    let at = from;
    for (const s of list) {
      if (s.end <= at) continue;
      if (s.start > at) return false;
      at = s.end;
      if (at >= to) return true;
    }
    return false;
  }

  private step(e: Entry): Step {
    const p = e.packet;
    const h = p.headers;
    const note = this.note(e);
    const payloadFields = this.payloadFields(e);
    const fields = packetFields(p.ip, p.version, h, payloadFields);
    const labels = note.labels.length ? note.labels : [tcpLabel(h.flags)];
    // A segment sent again names each thing it carries as a retransmission, as the simulated runs do (tls-streams.ts).
    const summary =
      e.copy === 'same'
        ? labels.map((l) => `${l} (TCP retransmission)`).join(', ')
        : labels.join(', ') + (e.copy === 'changed' ? ' (tampered)' : '');
    const protocol: Protocol = note.protocol ?? (h.transport === 'tcp' ? 'TCP' : 'RTP');
    const views = {} as Record<Party, PartyView>;
    for (const party of PARTIES) views[party] = this.view(e, note, party, summary);
    const { explanation, articles } = explainStep(this.context, wireRecord(e, fields, this.steps.length), note);
    return {
      index: this.steps.length,
      packet: p.number,
      phase: phaseOf(note.topics, h.transport === 'tcp' ? h.flags : undefined, this.steps.at(-1)?.phase),
      time: p.timeMs - (this.firstTimeMs ?? p.timeMs),
      from: e.from,
      to: e.to,
      src: formatCapturedEndpoint(h.src, h.srcPort),
      dst: formatCapturedEndpoint(h.dst, h.dstPort),
      transport: h.transport === 'tcp' ? 'tcp' : 'udp',
      protocol,
      summary,
      bytes: toHex(p.ip),
      fields,
      views,
      explanation: `Packet ${p.number} of the capture. ${explanation}`,
      articles,
      events: note.events,
      ...(note.failure ? { failure: note.failure } : {}),
    };
  }

  /** What the packet carries, in the simulated runs' terms (scenarios/step-ledger.ts). */
  private note(e: Entry): StepNote & { sealed: boolean } {
    const note: StepNote & { sealed: boolean } = {
      labels: [],
      topics: [],
      layers: {},
      unreadable: {},
      events: [],
      sealed: false,
    };
    const sender = e.from;
    const addLayers = (layers: DecodedLayer[]) => {
      if (layers.length === 0) return;
      for (const party of [e.from, e.to]) (note.layers[party] ??= []).push(...layers);
    };
    // A unit's labels go on each packet that carries its bytes (`part n` until the one that holds its end),
    // what was learnt from it on the first, and what it revealed on the one that completes it.
    for (const span of this.spansOf(e)) {
      const u = span.unit;
      span.carried++;
      const complete = span.end <= (e.offset ?? 0) + e.packet.headers.payload.length;
      if (u.labels.length) {
        note.labels.push(complete ? u.labels.join(', ') : `${u.labels.join(', ')} (part ${span.carried})`);
      }
      if (u.sealed) note.sealed = true;
      const r = u.record;
      if (r || u.sip.length) note.protocol ??= r ? 'TLS' : 'SIP';
      if (span.carried === 1) {
        note.events.push(...keyEvents(u.keys));
        if (r?.alert) note.topics.push({ kind: 'alert', alert: r.alert, sender, encrypted: r.encrypted });
        if (r) {
          for (const label of u.labels) {
            if (label.startsWith('Alert')) continue;
            note.topics.push({
              kind: 'tls',
              message: label,
              sender,
              ...(u.tlsVersion ? { version: u.tlsVersion } : {}),
              encrypted: r.encrypted,
            });
          }
        }
        for (const m of u.sip) {
          note.topics.unshift({ kind: 'sip', message: m.parsed.message, sender, over: r ? 'tls' : 'tcp' });
          note.failure ??= sipFailure(m.parsed.message);
        }
        if (u.failure) {
          note.failure ??= u.failure;
          note.events.push({ kind: 'note', party: sender, text: `Ended the connection: ${u.failure}.` });
        }
      }
      if (u.sip.length) note.protocol = 'SIP';
      if (complete) addLayers(u.layers);
    }
    if (e.sip) {
      note.protocol = e.sip.messages.length ? 'SIP' : 'RTP';
      note.labels.push(...e.sip.labels);
      for (const m of e.sip.messages) {
        note.topics.push({ kind: 'sip', message: m.parsed.message, sender, over: 'udp' });
        note.failure ??= sipFailure(m.parsed.message);
      }
    }
    if (e.media) {
      const v = e.media;
      note.protocol = v.kind;
      note.labels.push(v.copy ? `${v.kind} (${v.copy})` : v.kind);
      note.topics.push({ kind: 'media', protocol: v.kind, sender });
      if (v.plain && v.outcome === 'decrypted') addLayers(mediaLayer(v));
      if (v.outcome === 'auth_failure' || v.outcome === 'replay') {
        note.failure = `${v.kind} ${v.outcome}: ${v.detail ?? ''}`;
        note.unreadable[e.to] = `it drops the packet (${v.outcome}): ${v.detail ?? ''}`;
      } else if (v.outcome === 'not_decrypted') {
        note.sealed = true;
      }
      if (v.stream.context && !this.keyedStreams.has(v.stream) && v.outcome === 'decrypted') {
        this.keyedStreams.add(v.stream);
        for (const party of ['pbx', 'sbc'] as const) {
          note.events.push(
            ...v.stream.context.keyEvents(party, `${NAMES[v.stream.from ?? 'pbx']} → ${NAMES[v.stream.to ?? 'sbc']}`),
          );
        }
      }
    }
    return note;
  }

  private payloadFields(e: Entry): Field[] | undefined {
    const h = e.packet.headers;
    if (h.payload.length === 0) return undefined;
    if (e.media) return mediaFields(e.media, h.payload);
    if (e.sip) return e.sip.fields;
    if (h.transport !== 'tcp' || e.offset === undefined) return undefined;
    const from = e.offset;
    const to = from + h.payload.length;
    const out: Field[] = [];
    let at = from;
    for (const s of this.spansOf(e)) {
      if (s.start > at) out.push(unexplained(at - from, s.start - from));
      const lo = Math.max(from, s.start);
      const hi = Math.min(to, s.end);
      out.push(...clipFields(s.unit.fields, lo - s.start, hi - s.start, s.start - from));
      at = Math.max(at, hi);
    }
    if (at < to) out.push(unexplained(at - from, to - from));
    return out;
  }

  /** The explained units a TCP packet's payload touches, in stream order. */
  private spansOf(e: Entry): Span[] {
    const h = e.packet.headers;
    if (h.transport !== 'tcp' || e.offset === undefined || !e.connection || !e.side || h.payload.length === 0)
      return [];
    const from = e.offset;
    const to = from + h.payload.length;
    return (this.spans.get(`${e.connection.id}|${e.side}`) ?? []).filter((s) => s.end > from && s.start < to);
  }

  private view(e: Entry, note: StepNote & { sealed: boolean }, party: Party, summary: string): PartyView {
    if (party === 'attacker') {
      const r = e.revelations;
      if (r.length === 0) {
        return {
          access: 'metadata',
          summary: 'Anyone else on the path: the addresses, ports, sizes and timing.',
          layers: [],
        };
      }
      const access = r.some((x) => x.access === 'metadata') ? 'metadata' : 'all';
      return {
        access,
        summary: `Anyone else on the path, without the keys: ${r.map((x) => x.summary).join('; ')}`,
        layers: r.flatMap((x) => x.layers),
      };
    }
    const layers = note.layers[party] ?? [];
    const unopened = note.sealed && layers.length === 0;
    if (party === e.from) {
      return {
        access: 'all',
        summary: unopened
          ? `Sent it and knows every byte; the capture's key log does not hold its keys, so the lab cannot show what it wrote inside.`
          : `Sent it: it wrote this ${summary} and knows every byte.`,
        layers,
      };
    }
    if (party === e.to) {
      const refused = note.unreadable[party];
      if (refused) return { access: 'metadata', summary: `Received it, but ${refused}.`, layers: [] };
      return {
        access: 'all',
        summary: unopened
          ? `Received it and decrypted it with keys it held; the capture's key log does not hold them, so the lab cannot show what it read.`
          : layers.length
            ? `Received it and decrypted it: it reads the ${summary} inside.`
            : 'Received it and reads all of it.',
        layers,
      };
    }
    return { access: 'none', summary: 'Never saw it: the packet did not pass its machine.', layers: [] };
  }

  /** The call as each party heard it, from the decrypted G.711 the media streams kept. */
  static audio(streams: readonly MediaStream[]): CallAudio[] {
    const out: CallAudio[] = [];
    for (const party of ['pbx', 'sbc'] as const) {
      const heard = streams.filter((s) => s.to === party && s.audio && s.audio.length > 0);
      if (heard.length === 0) continue;
      const s = heard.reduce((a, b) => (a.audioBytes >= b.audioBytes ? a : b));
      const bytes = new Uint8Array(s.audioBytes);
      let at = 0;
      for (const chunk of s.audio!) {
        bytes.set(chunk.subarray(0, Math.min(chunk.length, bytes.length - at)), at);
        at += chunk.length;
        if (at >= bytes.length) break;
      }
      out.push({
        party,
        heard: 'voice',
        summary: `What the ${NAMES[party]} received from ${formatCapturedEndpoint(s.src, s.srcPort)}${s.protection === 'SRTP' ? ', decrypted with the SDES key from the SDP' : ', plain RTP'}.`,
        law: s.audioLaw ?? 'pcmu',
        payload: toHex(bytes),
      });
    }
    return out;
  }
}

function flip(p: Party | undefined): Party | undefined {
  return p === 'pbx' ? 'sbc' : p === 'sbc' ? 'pbx' : undefined;
}

function sipFailure(m: SipMessage): string | undefined {
  if (m.kind !== 'response' || m.status < 300 || m.status === 401 || m.status === 407) return undefined;
  return `${m.status} ${m.reason}`;
}

function keyEvents(keys: KeyDerivation[]): StateEvent[] {
  const out: KeyEvent[] = [];
  for (const k of keys) {
    for (const party of ['pbx', 'sbc'] as const) {
      out.push({ kind: 'key', party, name: k.name, value: toHex(k.value), from: k.from, how: k.how, spec: k.spec });
    }
  }
  return out;
}

function unexplained(start: number, end: number): Field {
  return {
    name: 'Stream data',
    start,
    end,
    value: `${end - start} bytes`,
    note: 'Bytes of the stream whose message the capture does not hold whole (it ended, or a segment before them is missing).',
    spec: 'RFC 9293 §3.1',
  };
}

function mediaFields(v: MediaVerdict, payload: Uint8Array): Field[] | undefined {
  const s = v.stream;
  try {
    if (v.kind === 'SRTP' && s.suite)
      return describeSrtpPacket(payload, { suite: s.suite, mkiLength: s.context?.mkiLength ?? 0 }).fields;
    if (v.kind === 'SRTCP' && s.suite)
      return describeSrtcpPacket(payload, { suite: s.suite, mkiLength: s.context?.mkiLength ?? 0 }).fields;
    if (v.kind === 'RTCP') return parseRtcpCompound(payload).fields;
    if (v.kind === 'RTP' || v.kind === 'SRTP') return parseRtpPacket(payload).fields;
  } catch (e) {
    if (!isParseError(e)) throw e;
  }
  return undefined;
}

function mediaLayer(v: MediaVerdict): DecodedLayer[] {
  const plain = v.plain!;
  try {
    const fields = v.kind === 'SRTCP' ? parseRtcpCompound(plain).fields : parseRtpPacket(plain).fields;
    const what = v.kind === 'SRTCP' ? 'RTCP' : 'RTP';
    return [{ title: `${what} decrypted with the SDES key from the SDP`, bytes: toHex(plain), fields }];
  } catch (e) {
    if (!isParseError(e)) throw e;
    return [];
  }
}

/**
 * The field tree of a captured IP packet: the IP header (v4 or v6), the TCP
 * or UDP header, then the payload's own fields. A packet the capture cut
 * short, or one whose headers do not decode, is still explained: its header
 * bytes and the payload as captured, with why.
 */
export function packetFields(ip: Uint8Array, version: 4 | 6, h: CapturedHeaders, payloadFields?: Field[]): Field[] {
  try {
    if (version === 4) return readPacket(ip, payloadFields).fields;
    const v6 = readIpv6Packet(ip);
    const group = v6.fields[0];
    const addresses = { src: v6.header.src, dst: v6.header.dst };
    if (v6.header.protocol === 'tcp' && !v6.header.fragment) {
      group.children!.push(...readTcpSegment(v6.payload, addresses, v6.payloadOffset, payloadFields).fields);
    } else if (v6.header.protocol === 'udp' && !v6.header.fragment) {
      group.children!.push(...readUdpDatagram(v6.payload, addresses, v6.payloadOffset, payloadFields).fields);
    } else if (v6.payload.length > 0) {
      group.children!.push({
        name: 'Data',
        start: v6.payloadOffset,
        end: ip.length,
        value: `${v6.payload.length} bytes`,
        note: v6.header.fragment ? 'A fragment of a larger datagram.' : `Next header ${v6.header.protocolNumber}.`,
      });
    }
    return v6.fields;
  } catch (e) {
    if (!isParseError(e) && !(e instanceof TlsFailure)) throw e;
    return [
      {
        name: `IPv${version} packet`,
        start: 0,
        end: ip.length,
        layer: version === 4 ? 'ipv4' : 'ipv6',
        value: `${formatCapturedEndpoint(h.src, h.srcPort)} → ${formatCapturedEndpoint(h.dst, h.dstPort)}`,
        note: h.cut
          ? `The capture kept only the first ${ip.length} bytes of this packet (its snap length).`
          : `Its headers do not decode: ${e.message}`,
        children: [
          {
            name: 'Headers',
            start: 0,
            end: Math.min(h.payloadOffset, ip.length),
            value: `${Math.min(h.payloadOffset, ip.length)} bytes`,
          },
          ...(h.payloadOffset < ip.length
            ? [
                {
                  name: h.cut ? 'Payload as captured' : 'Payload',
                  start: h.payloadOffset,
                  end: ip.length,
                  value: `${ip.length - h.payloadOffset} bytes`,
                },
              ]
            : []),
        ],
      },
    ];
  }
}

/** The step as a wire record, the shape the explanations read (net/wire-record.ts). */
function wireRecord(e: Entry, fields: Field[], index: number): WirePacket {
  const h = e.packet.headers;
  return {
    index,
    timeUs: 0,
    from: e.from,
    to: e.to,
    src: { ip: h.src, port: h.srcPort },
    dst: { ip: h.dst, port: h.dstPort },
    transport: h.transport === 'tcp' ? 'tcp' : 'udp',
    bytes: e.packet.ip,
    fields,
    payloadOffset: h.payloadOffset,
    payloadLength: h.payload.length,
    ...(h.transport === 'tcp' ? { tcp: { seq: h.seq, ack: h.ack, flags: h.flags, window: 0 } } : {}),
    origin: 'sent',
    fate: 'delivered',
    seenBy: [e.from, e.to],
  };
}
