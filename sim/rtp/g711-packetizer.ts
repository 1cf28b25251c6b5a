/**
 * Packetization of G.711 audio into RTP (RFC 3551 §4.5.14, §4.2): 8000
 * samples per second, one byte per sample, 20 ms (160 samples) per packet —
 * the default packet time of a SIP trunk (`a=ptime:20`).
 *
 * The sequence number counts packets and the timestamp counts samples
 * (RFC 3550 §5.1); both start at random values, as does the SSRC (§8.1), so
 * that a known-plaintext attacker cannot guess them. The marker bit is set on
 * the first packet of a talkspurt (RFC 3551 §4.1). The packetizer also keeps
 * the sender's packet and octet counts that an RTCP sender report carries
 * (RFC 3550 §6.4.1).
 */
import type { RandomSource } from '../crypto/random';
import { encodeG711, G711_PAYLOAD_TYPE, type G711Law } from './g711';
import type { RtpPacket } from './rtp-packet';

export const G711_SAMPLE_RATE = 8000;
/** 20 ms of 8 kHz audio. */
export const SAMPLES_PER_PACKET = 160;
export const PACKET_TIME_MS = 20;

export interface PacketizerStart {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
}

/** Random SSRC, first sequence number and first timestamp (RFC 3550 §5.1, §8.1). */
export function randomRtpStart(random: RandomSource): PacketizerStart {
  const b = random.bytes(10);
  return {
    ssrc: ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0,
    sequenceNumber: (b[4] << 8) | b[5],
    timestamp: ((b[6] << 24) | (b[7] << 16) | (b[8] << 8) | b[9]) >>> 0,
  };
}

export class G711Packetizer {
  readonly payloadType: number;
  readonly ssrc: number;
  private sequenceNumber: number;
  private timestamp: number;
  private talkspurtStart = true;
  /** Sender's packet count and octet count (payload bytes) for RTCP SR (RFC 3550 §6.4.1). */
  packetsSent = 0;
  octetsSent = 0;

  constructor(
    readonly law: G711Law,
    start: PacketizerStart,
  ) {
    this.payloadType = G711_PAYLOAD_TYPE[law];
    this.ssrc = start.ssrc >>> 0;
    this.sequenceNumber = start.sequenceNumber & 0xffff;
    this.timestamp = start.timestamp >>> 0;
  }

  /** The RTP timestamp the next packet will carry. */
  get nextTimestamp(): number {
    return this.timestamp;
  }

  get nextSequenceNumber(): number {
    return this.sequenceNumber;
  }

  /**
   * Encodes 16-bit samples and cuts them into 20 ms packets; a last short
   * frame is padded with silence so every packet carries 160 samples.
   */
  packetize(samples: Int16Array): RtpPacket[] {
    const packets: RtpPacket[] = [];
    for (let at = 0; at < samples.length; at += SAMPLES_PER_PACKET) {
      const frame = new Int16Array(SAMPLES_PER_PACKET);
      frame.set(samples.subarray(at, Math.min(samples.length, at + SAMPLES_PER_PACKET)));
      packets.push(this.next(encodeG711(this.law, frame)));
    }
    return packets;
  }

  /** The next packet around 160 already-encoded G.711 bytes. */
  next(payload: Uint8Array): RtpPacket {
    const packet: RtpPacket = {
      marker: this.talkspurtStart,
      payloadType: this.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      csrcs: [],
      payload,
      paddingLength: 0,
    };
    this.talkspurtStart = false;
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.timestamp = (this.timestamp + payload.length) >>> 0;
    this.packetsSent++;
    this.octetsSent += payload.length;
    return packet;
  }

  /** After silence the next packet starts a new talkspurt and carries the marker. */
  startTalkspurt(): void {
    this.talkspurtStart = true;
  }
}
