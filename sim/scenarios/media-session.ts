/**
 * One side's media in a call: the spoken phrase as G.711 in 20 ms RTP packets
 * (RFC 3551 §4.5.14), protected with SRTP when the call agreed SDES keys
 * (RFC 3711 §3.3), sent to the address and port the other side's SDP gave
 * (RFC 8866 §5.7, §5.14), with RTCP sender reports on the next port up
 * (RFC 3550 §11), protected as SRTCP (RFC 3711 §3.4).
 *
 * Receiving, it unprotects each packet with the key the other side sent
 * (RFC 4568 §6.1): a packet whose tag does not verify, or whose index the
 * replay list has seen (RFC 3711 §3.3.2), is dropped, counted, and marked on
 * its step; the G.711 codes of the packets accepted are what this side hears.
 * Its reports carry what it received (RFC 3550 §6.4.1: loss, the highest
 * sequence number, interarrival jitter by Appendix A.8, LSR and DLSR).
 *
 * The lab sends a report every second so a short call shows some; RFC 3550
 * §6.2 puts real senders at about one every five seconds.
 */
import type { DecodedLayer, Party } from '../timeline';
import type { Endpoint } from '../net/address';
import type { Host } from '../net/host';
import type { UdpSocket } from '../net/udp-socket';
import type { WirePacket } from '../net/wire-record';
import type { ScheduledEvent } from '../net/event-queue';
import { spokenPhrase } from '../rtp/audio-sources';
import {
  G711_SAMPLE_RATE,
  G711Packetizer,
  PACKET_TIME_MS,
  SAMPLES_PER_PACKET,
  randomRtpStart,
} from '../rtp/g711-packetizer';
import { encodeG711, G711_PAYLOAD_TYPE, type G711Law } from '../rtp/g711';
import { writeRtpPacket, type RtpPacket } from '../rtp/rtp-packet';
import { writeSenderReportCompound, type ReportBlock } from '../rtp/rtcp-packet';
import { rtpHeaderLength, type SrtpContext } from '../rtp/srtp-context';
import { describeSrtcpPacket, describeSrtpPacket } from '../rtp/srtp-packet-fields';
import { toHex } from '../wire/bytes';
import type { TrunkRun } from './trunk-run';
import { partyName } from './verdicts';

/** What the payload of each RTP packet is, by G.711 law: the same words for every packet of a call, made once. */
const AUDIO_NOTES = {
  'A-law': {
    note: `Audio in G.711 A-law: one byte per sample, ${SAMPLES_PER_PACKET} samples per ${PACKET_TIME_MS} ms.`,
  },
  'µ-law': {
    note: `Audio in G.711 µ-law: one byte per sample, ${SAMPLES_PER_PACKET} samples per ${PACKET_TIME_MS} ms.`,
  },
};

/** How often the lab sends an RTCP sender report. */
export const REPORT_INTERVAL_MS = 1000;

export interface MediaKeys {
  /** The context of the key this side announced: it protects what it sends. */
  send: SrtpContext;
  /** The context of the other side's key: it opens what arrives. */
  receive: SrtpContext;
}

/** What one side's receiver keeps about the stream it receives (RFC 3550 §6.4.1, Appendix A.3, A.8). */
class ReceptionStats {
  ssrc = 0;
  private base = -1;
  private maxSeq = 0;
  private cycles = 0;
  received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit?: number;
  private jitter = 0;
  /** Middle 32 bits of the NTP timestamp of the last SR, and when it arrived (ms). */
  private lastSr = 0;
  private lastSrAt = 0;

  packet(ssrc: number, seq: number, rtpTimestamp: number, arrivalMs: number): void {
    this.ssrc = ssrc;
    if (this.base < 0) {
      this.base = seq;
      this.maxSeq = seq;
    } else if (((seq - this.maxSeq) & 0xffff) < 0x8000) {
      if (seq < this.maxSeq) this.cycles += 0x10000;
      this.maxSeq = seq;
    }
    this.received++;
    // Interarrival jitter in timestamp units (RFC 3550 §6.4.1, A.8): 8 units per ms at 8 kHz.
    const transit = arrivalMs * 8 - rtpTimestamp;
    if (this.transit !== undefined) {
      const d = Math.abs(transit - this.transit);
      this.jitter += (d - this.jitter) / 16;
    }
    this.transit = transit;
  }

  senderReport(ntp: bigint, arrivalMs: number): void {
    this.lastSr = Number((ntp >> 16n) & 0xffffffffn);
    this.lastSrAt = arrivalMs;
  }

  block(nowMs: number): ReportBlock | undefined {
    if (this.base < 0) return undefined;
    const extendedMax = this.cycles + this.maxSeq;
    const expected = extendedMax - this.base + 1;
    const lost = expected - this.received;
    const expectedInterval = expected - this.expectedPrior;
    const lostInterval = expectedInterval - (this.received - this.receivedPrior);
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    return {
      ssrc: this.ssrc,
      fractionLost: expectedInterval > 0 && lostInterval > 0 ? Math.floor((lostInterval << 8) / expectedInterval) : 0,
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, lost)),
      highestSequence: extendedMax >>> 0,
      jitter: Math.floor(this.jitter),
      lastSr: this.lastSr,
      delaySinceLastSr: this.lastSr ? Math.round(((nowMs - this.lastSrAt) / 1000) * 65536) : 0,
    };
  }
}

const encodedPhrases = new Map<G711Law, Uint8Array>();

/**
 * The spoken phrase as 20 ms frames of G.711 codes (160 a frame, RFC 3551
 * §4.5.14), followed by silence up to `durationMs`. The phrase is encoded
 * once per law: every call of every run says the same words.
 */
function phraseFrames(law: G711Law, durationMs: number): Uint8Array[] {
  let phrase = encodedPhrases.get(law);
  if (!phrase) encodedPhrases.set(law, (phrase = encodeG711(law, spokenPhrase().samples)));
  const silence = encodeG711(law, new Int16Array(SAMPLES_PER_PACKET));
  const frames: Uint8Array[] = [];
  for (let at = 0; at < Math.round((durationMs / 1000) * G711_SAMPLE_RATE); at += SAMPLES_PER_PACKET) {
    if (at + SAMPLES_PER_PACKET <= phrase.length) frames.push(phrase.subarray(at, at + SAMPLES_PER_PACKET));
    else if (at >= phrase.length) frames.push(silence);
    else {
      const frame = silence.slice();
      frame.set(phrase.subarray(at));
      frames.push(frame);
    }
  }
  return frames;
}

export class MediaSession {
  /** G.711 codes of every packet this side accepted, in arrival order: what it hears. */
  readonly heard: Uint8Array[] = [];
  readonly law: G711Law = 'pcmu';
  private readonly rtp: UdpSocket;
  private readonly rtcp: UdpSocket;
  private readonly stats = new ReceptionStats();
  private keys?: MediaKeys;
  /** The receiving context of the key before a re-key, while packets under it may still arrive. */
  private previousReceive?: SrtpContext;
  private remote?: Endpoint;
  private packetizer?: G711Packetizer;
  private next?: ScheduledEvent;
  private nextReport?: ScheduledEvent;
  private sending = false;
  private lostReported = false;

  constructor(
    private readonly run: TrunkRun,
    readonly party: Party,
    private readonly peer: Party,
    host: Host,
    readonly port: number,
  ) {
    this.rtp = host.bindUdp(port);
    this.rtcp = host.bindUdp(port + 1);
    this.rtp.onMessage = (payload, _from, record) => this.receiveRtp(payload, record);
    this.rtcp.onMessage = (payload, _from, record) => this.receiveRtcp(payload, record);
  }

  /** Sets the keys before media flows (when the SDP exchange agreed them); plain RTP without. */
  useKeys(keys: MediaKeys | undefined): void {
    this.keys = keys;
  }

  /**
   * New keys in the middle of the call (a re-INVITE's offer and answer,
   * RFC 4568 §7.1.4). Packets the other side protected with its old key may
   * still be on their way, so the old receiving context stays as a fallback
   * until a packet opens under the new one; `keepReceiving` keeps the old one
   * outright (a media engine that never takes the new key).
   */
  rekey(keys: MediaKeys, options: { keepReceiving?: boolean } = {}): void {
    if (!this.keys) {
      this.keys = keys;
      return;
    }
    const receive = options.keepReceiving ? this.keys.receive : keys.receive;
    if (!options.keepReceiving) this.previousReceive = this.keys.receive;
    this.keys = { send: keys.send, receive };
  }

  get secure(): boolean {
    return this.keys !== undefined;
  }

  /** Starts sending the phrase to `remote` (the RTP address from the other side's SDP) for `durationMs`. */
  start(remote: Endpoint, durationMs: number): void {
    if (this.sending) return;
    this.sending = true;
    this.remote = remote;
    const packetizer = new G711Packetizer(this.law, randomRtpStart(this.run.random.fork(`rtp ${this.party}`)));
    this.packetizer = packetizer;
    const frames = phraseFrames(this.law, durationMs);
    const send = (i: number) => {
      if (!this.sending || i >= frames.length) {
        this.sending = false;
        return;
      }
      this.sendRtp(packetizer.next(frames[i]));
      this.next = this.run.net.network.after(PACKET_TIME_MS, `RTP from the ${partyName(this.party)}`, () =>
        send(i + 1),
      );
    };
    send(0);
    const report = () => {
      if (!this.sending) return;
      this.sendReport();
      this.nextReport = this.run.net.network.after(REPORT_INTERVAL_MS, 'RTCP report', report);
    };
    this.nextReport = this.run.net.network.after(REPORT_INTERVAL_MS, 'RTCP report', report);
  }

  stop(): void {
    this.sending = false;
    this.next?.cancel();
    this.nextReport?.cancel();
  }

  /** The first packet the network could not route: where a one-way call shows. */
  private unroutable(record: WirePacket): void {
    if (record.fate !== 'unroutable' || this.lostReported) return;
    this.lostReported = true;
    const to = `${record.dst.ip}:${record.dst.port}`;
    this.run.ledger.fail(record.index, `unroutable: nothing on the path has ${record.dst.ip}`);
    this.run.ledger.note(record.index).events.push({
      kind: 'note',
      party: this.party,
      text: `The ${partyName(this.party)} sends its audio to ${to}, where the other side’s SDP said; no host on the internet has that address, so none of it arrives.`,
    });
  }

  private sendRtp(packet: RtpPacket): void {
    // RFC 3551 §4.5.14: the payload type says which G.711 law the bytes are in.
    const plain = writeRtpPacket(
      packet,
      packet.payloadType === G711_PAYLOAD_TYPE.pcma ? AUDIO_NOTES['A-law'] : AUDIO_NOTES['µ-law'],
    );
    const { ledger } = this.run;
    let record: WirePacket;
    if (this.keys) {
      const bytes = this.keys.send.protect(plain.bytes);
      const { fields } = describeSrtpPacket(bytes, { suite: this.keys.send.suite });
      record = this.rtp.send(this.remote!, { bytes, fields });
      const note = ledger.note(record.index);
      note.protocol = 'SRTP';
      note.labels.push('SRTP');
      note.topics.push({ kind: 'media', protocol: 'SRTP', sender: this.party });
      ledger.addLayer(record.index, this.party, {
        title: 'RTP before SRTP protection',
        bytes: toHex(plain.bytes),
        fields: plain.fields,
      });
    } else {
      record = this.rtp.send(this.remote!, plain);
      const note = ledger.note(record.index);
      note.protocol = 'RTP';
      note.labels.push('RTP');
      note.topics.push({ kind: 'media', protocol: 'RTP', sender: this.party });
    }
    this.unroutable(record);
  }

  private sendReport(): void {
    const p = this.packetizer!;
    const block = this.stats.block(this.run.nowMs());
    const compound = writeSenderReportCompound(
      {
        ssrc: p.ssrc,
        wallClockMs: this.run.clock.now(),
        rtpTimestamp: p.nextTimestamp,
        packetCount: p.packetsSent,
        octetCount: p.octetsSent,
        reports: block ? [block] : [],
      },
      `${this.party}@${this.run.carrier.domain}`,
    );
    const to = { ip: this.remote!.ip, port: this.remote!.port + 1 };
    const { ledger } = this.run;
    const protocol = this.keys ? 'SRTCP' : 'RTCP';
    let record: WirePacket;
    if (this.keys) {
      const bytes = this.keys.send.protectRtcp(compound.bytes);
      const { fields } = describeSrtcpPacket(bytes, { suite: this.keys.send.suite });
      record = this.rtcp.send(to, { bytes, fields });
      ledger.addLayer(record.index, this.party, {
        title: 'RTCP before SRTCP protection',
        bytes: toHex(compound.bytes),
        fields: compound.fields,
      });
    } else {
      record = this.rtcp.send(to, compound);
    }
    const note = ledger.note(record.index);
    note.protocol = protocol;
    note.labels.push(protocol);
    note.topics.push({ kind: 'media', protocol, sender: this.party });
  }

  /**
   * Unprotects with the current key; a packet that fails its tag is tried
   * with the key of before a re-key, which the other side may still have
   * used when it sent it. The first packet the new key opens ends that.
   */
  private open(payload: Uint8Array, kind: 'rtp' | 'rtcp'): ReturnType<SrtpContext['unprotect']> {
    const unprotect = (c: SrtpContext) => (kind === 'rtp' ? c.unprotect(payload) : c.unprotectRtcp(payload));
    const out = unprotect(this.keys!.receive);
    if (out.ok) {
      if (kind === 'rtp') this.previousReceive = undefined;
      return out;
    }
    if (out.reason !== 'auth_failure' || !this.previousReceive) return out;
    const old = unprotect(this.previousReceive);
    return old.ok ? old : out;
  }

  private receiveRtp(payload: Uint8Array, record: WirePacket): void {
    const { ledger, verdicts } = this.run;
    let plain = payload;
    if (this.keys) {
      const out = this.open(payload, 'rtp');
      if (!out.ok) {
        this.dropped(record, out.reason, out.detail);
        return;
      }
      plain = out.packet;
    }
    const header = rtpHeaderLength(plain, plain.length);
    if (header < 0) return;
    const padding = plain[0] & 0x20 ? plain[plain.length - 1] : 0;
    this.heard.push(plain.slice(header, plain.length - padding));
    const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    this.stats.packet(view.getUint32(8), view.getUint16(2), view.getUint32(4), this.run.nowMs());
    verdicts.mediaReceived[this.party] = (verdicts.mediaReceived[this.party] ?? 0) + 1;
    // What this side decrypted is what the sender protected: the sender's plaintext layer.
    if (this.keys) {
      const sent = ledger.find(record.derivedFrom ?? record.index)?.layers[this.peer]?.[0];
      if (sent) ledger.addLayer(record.index, this.party, sent);
    }
  }

  private receiveRtcp(payload: Uint8Array, record: WirePacket): void {
    let plain = payload;
    if (this.keys) {
      const out = this.open(payload, 'rtcp');
      if (!out.ok) {
        this.dropped(record, out.reason, out.detail);
        return;
      }
      plain = out.packet;
      const sent: DecodedLayer | undefined = this.run.ledger.find(record.derivedFrom ?? record.index)?.layers[
        this.peer
      ]?.[0];
      if (sent) this.run.ledger.addLayer(record.index, this.party, sent);
    }
    // A sender report (packet type 200) carries the NTP time this side echoes as LSR (RFC 3550 §6.4.1).
    if (plain.length >= 16 && plain[1] === 200) {
      const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
      this.stats.senderReport(view.getBigUint64(8), this.run.nowMs());
    }
  }

  private dropped(record: WirePacket, reason: string, detail: string): void {
    const { ledger, verdicts } = this.run;
    const first = !verdicts.mediaDropped[this.party];
    verdicts.countDrop(this.party, reason);
    const who = partyName(this.party);
    ledger.fail(record.index, `SRTP ${reason}: ${detail}`);
    ledger.note(record.index).unreadable[this.party] =
      reason === 'replay'
        ? 'it is a replay, so it is discarded'
        : 'its authentication tag does not verify, so it is discarded';
    ledger.note(record.index).events.push({
      kind: 'note',
      party: this.party,
      text: `The ${who} dropped this packet: ${reason} (${detail}).`,
    });
    if (first) {
      const drops = () => verdicts.mediaDropped[this.party]!;
      const attacked = this.run.setup.attacker.kind !== 'none';
      verdicts.refuse({
        party: this.party,
        stage: 'srtp',
        reason,
        get summary() {
          const d = drops();
          const packets = (n: number) => `${n} SRTP packet${n === 1 ? '' : 's'}`;
          const counts = [
            d.auth_failure ? `${packets(d.auth_failure)} that failed authentication` : '',
            d.replay ? `${packets(d.replay)} that ${d.replay === 1 ? 'was a replay' : 'were replays'}` : '',
          ].filter(Boolean);
          const cause = attacked
            ? 'SRTP caught what the attacker did, and the rest of the call went on'
            : 'they were not protected with the key it holds for that stream, so none of them was played';
          return `The ${who} discarded ${counts.join(' and ')}: ${cause}.`;
        },
        at: this.run.nowMs(),
      });
    }
  }
}
