/**
 * What an eavesdropper reads in media datagrams. The RTP header is never
 * encrypted (RFC 3550 §5.1; SRTP leaves it in clear so it can be routed,
 * RFC 3711 §3.1): payload type, sequence number, timestamp and SSRC show
 * who is talking, with which codec, and for how long. The payload is
 * readable when the SDP said RTP/AVP (plain RTP), or when it said RTP/SAVP
 * but gave its SDES key away in clear SIP: the lens then decrypts it with
 * the key, as anyone could. Without the SDP (SIP inside TLS), the bytes
 * still tell: G.711's payload types are static (RFC 3551 §6), one byte per
 * sample (§4.5.14), so a payload exactly as long as the samples its
 * timestamp advances by is audio in clear, and one longer carries an SRTP
 * authentication tag after the ciphertext (RFC 3711 §3.1). RTCP is told
 * apart by its packet type (RFC 5761 §4); a compound whose length fields
 * add up to the datagram is in clear, one with bytes left over carries
 * SRTCP's index and tag (RFC 3711 §3.4).
 */
import type { Field } from '../wire/field';
import { toHex } from '../wire/bytes';
import { ByteReader } from '../wire/reader';
import { isParseError } from '../wire/parse-error';
import { describePayloadType, hex32, parseRtpPacket, readRtpHeader } from '../rtp/rtp-packet';
import { SrtpContext } from '../rtp/srtp-context';
import type { DatagramLens, Fact, Flow, Revelation, TapMemory } from './tap';
import { mediaNoteKey, type MediaNote } from './media-note';

const HEADER = 'RTP header (RFC 3550 §5.1)';

/** G.711 µ-law and A-law: static payload types, 8000 one-byte samples a second (RFC 3551 §4.5.14, §6). */
const G711_TYPES = new Set([0, 8]);
/** 10 ms of G.711: packet times are whole multiples of it in practice (RFC 3551 §4.5). */
const G711_10MS = 80;

export class RtpLens implements DatagramLens {
  private srtp?: SrtpContext;
  private key?: MediaNote['keys'][number];
  /** The last header seen, to read how many samples a packet holds from the timestamp's step. */
  private last?: { sequenceNumber: number; timestamp: number };

  constructor(
    private readonly flow: Flow,
    private readonly sender: string,
    private readonly memory: TapMemory,
  ) {}

  read(payload: Uint8Array): Revelation {
    const note = this.memory.notes.get(mediaNoteKey(this.flow.src)) as MediaNote | undefined;
    if (payload.length >= 2 && payload[1] >= 192 && payload[1] <= 223) return this.rtcp(payload, note);
    let header: ReturnType<typeof readRtpHeader>;
    let fields: Field[];
    try {
      const r = new ByteReader(payload);
      header = readRtpHeader(r);
      fields = r.fields;
    } catch (e) {
      if (!isParseError(e)) throw e;
      return {
        access: 'metadata',
        summary: `UDP datagram of ${payload.length} bytes from the ${this.sender}: not RTP`,
        facts: [],
        layers: [],
      };
    }
    const codec = describePayloadType(header.payloadType);
    const facts: Fact[] = [
      { name: 'RTP stream', value: `SSRC ${hex32(header.ssrc)} from the ${this.sender}, ${codec}`, source: HEADER },
    ];
    const what = `RTP ${codec}, SSRC ${hex32(header.ssrc)}, sequence ${header.sequenceNumber}`;
    const bodyLength = payload.length - header.headerLength;
    const samples = this.samplesIn(header, bodyLength);
    if (note?.proto === 'RTP/AVP') {
      const layers = this.plainLayer(payload, 'RTP (in clear)');
      return {
        access: 'all',
        summary: `${what}: plain RTP, the audio can be played`,
        facts: [
          ...facts,
          {
            name: 'Media in clear',
            value: `the ${this.sender}'s audio`,
            source: `SDP said ${note.proto} in the ${note.learnedFrom}`,
          },
        ],
        layers,
      };
    }
    if (note && note.keys.length > 0) {
      const out = this.unprotect(payload, note.keys);
      if (out.ok) {
        return {
          access: 'all',
          summary: `${what}: SRTP, decrypted with the key the clear SDP gave away`,
          facts: [
            ...facts,
            {
              name: 'Media decrypted',
              value: `the ${this.sender}'s audio, with the ${this.key!.suite} key from the ${note.learnedFrom}`,
              source: 'SRTP (RFC 3711 §3.3) keyed by SDES (RFC 4568)',
            },
          ],
          layers: this.plainLayer(out.packet, 'RTP decrypted with the SDES key read in clear'),
        };
      }
      return {
        access: 'metadata',
        summary: `${what}: SRTP that the key from the SDP does not open (${out.reason})`,
        facts,
        layers: [{ title: 'RTP header (in clear)', bytes: toHex(payload.subarray(0, header.headerLength)), fields }],
      };
    }
    const g711 = !note && G711_TYPES.has(header.payloadType) && samples !== undefined;
    if (g711 && bodyLength === samples) {
      return {
        access: 'all',
        summary: `${what}: plain RTP — its ${bodyLength}-byte payload is exactly ${samples / 8} ms of G.711 at one byte a sample, with no room for an SRTP tag, so anyone can play it`,
        facts: [
          ...facts,
          {
            name: 'Media in clear',
            value: `the ${this.sender}'s audio`,
            source: `payload length equals the samples the timestamp advances by (RFC 3551 §4.5.14)`,
          },
        ],
        layers: this.plainLayer(payload, 'RTP (in clear)'),
      };
    }
    // A G.711 payload longer than its samples carries SRTP's tag: encrypted, and the length alone says so.
    const tagged = g711 && bodyLength > samples;
    return {
      access: 'metadata',
      // Without the SDP the tap cannot tell where the payload ends and an SRTP tag begins: it names the whole rest.
      summary: tagged
        ? `${what}: header readable; the ${bodyLength}-byte payload is encrypted: ${samples} bytes would be ${samples / 8} ms of G.711, and the ${bodyLength - samples} more are SRTP’s authentication tag`
        : `${what}: header readable; the ${bodyLength} bytes after it (the payload${note ? ', encrypted, and SRTP’s authentication tag' : ', and an SRTP tag if there is one'}) are ${note ? 'unreadable without the key' : 'unreadable without the SDP that keys them'}`,
      facts,
      layers: [{ title: 'RTP header (in clear)', bytes: toHex(payload.subarray(0, header.headerLength)), fields }],
    };
  }

  /**
   * How many samples the packet holds: the timestamp's step from the packet before it in sequence
   * (RFC 3550 §5.1), or, for the first packet, its payload rounded down to whole 10 ms of G.711.
   */
  private samplesIn(header: { sequenceNumber: number; timestamp: number }, bodyLength: number): number | undefined {
    const last = this.last;
    this.last = { sequenceNumber: header.sequenceNumber, timestamp: header.timestamp };
    if (last && ((header.sequenceNumber - last.sequenceNumber) & 0xffff) === 1) {
      const step = (header.timestamp - last.timestamp) >>> 0;
      if (step > 0 && step < 8000) return step;
    }
    const whole = Math.floor(bodyLength / G711_10MS) * G711_10MS;
    return whole > 0 ? whole : undefined;
  }

  /**
   * An offer carries one key per suite it offers, and the answer picks one
   * (RFC 4568 §7.1.3): the key in use is whichever opens the stream's packets.
   */
  private unprotect(payload: Uint8Array, keys: MediaNote['keys']) {
    if (this.srtp) return this.srtp.unprotect(payload);
    let first: ReturnType<SrtpContext['unprotect']> | undefined;
    for (const key of keys) {
      const context = SrtpContext.fromKeySalt(key.suite, key.keySalt);
      const out = context.unprotect(payload);
      first ??= out;
      if (out.ok) {
        this.srtp = context;
        this.key = key;
        return out;
      }
    }
    return first!;
  }

  private plainLayer(packet: Uint8Array, title: string) {
    try {
      const { fields } = parseRtpPacket(packet);
      return [{ title, bytes: toHex(packet), fields }];
    } catch (e) {
      if (!isParseError(e)) throw e;
      return [];
    }
  }

  private rtcp(payload: Uint8Array, note: MediaNote | undefined): Revelation {
    const type = payload[1];
    const ssrc =
      payload.length >= 8 ? (payload[4] * 2 ** 24 + (payload[5] << 16) + (payload[6] << 8) + payload[7]) >>> 0 : 0;
    const names: Record<number, string> = {
      200: 'sender report',
      201: 'receiver report',
      202: 'source description',
      203: 'goodbye',
    };
    const name = names[type] ?? `packet type ${type}`;
    const clear = note ? note.proto === 'RTP/AVP' : compoundFills(payload);
    return {
      access: clear ? 'all' : 'metadata',
      summary: `RTCP ${name} from the ${this.sender}, SSRC ${hex32(ssrc)}${note ? '' : clear ? ': in clear, its length fields add up to the whole datagram' : ': bytes follow the reports, SRTCP’s index and tag, so the reports are encrypted'}`,
      facts: [{ name: 'RTCP', value: `${name}, SSRC ${hex32(ssrc)}`, source: 'RTCP header (RFC 3550 §6.4)' }],
      layers: [],
    };
  }
}

/**
 * Whether an RTCP compound's packets, by their length fields (32-bit words
 * minus one, RFC 3550 §6.4.1), end exactly where the datagram does: SRTCP
 * adds its E flag, index and tag after them (RFC 3711 §3.4).
 */
function compoundFills(payload: Uint8Array): boolean {
  let at = 0;
  while (at + 4 <= payload.length) {
    if (payload[at] >> 6 !== 2) return false;
    at += (((payload[at + 2] << 8) | payload[at + 3]) + 1) * 4;
  }
  return at === payload.length;
}
