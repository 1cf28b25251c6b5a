/**
 * What an eavesdropper reads in media datagrams. The RTP header is never
 * encrypted (RFC 3550 §5.1; SRTP leaves it in clear so it can be routed,
 * RFC 3711 §3.1): payload type, sequence number, timestamp and SSRC show
 * who is talking, with which codec, and for how long. The payload is
 * readable when the SDP said RTP/AVP (plain RTP), or when it said RTP/SAVP
 * but gave its SDES key away in clear SIP: the lens then decrypts it with
 * the key, as anyone could. Without the SDP, only the header is known.
 * RTCP is told apart by its packet type (RFC 5761 §4).
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

export class RtpLens implements DatagramLens {
  private srtp?: SrtpContext;
  private key?: MediaNote['keys'][number];

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
    return {
      access: 'metadata',
      // Without the SDP the tap cannot tell where the payload ends and an SRTP tag begins: it names the whole rest.
      summary: `${what}: header readable; the ${bodyLength} bytes after it (the payload${note ? ', encrypted, and SRTP’s authentication tag' : ', and an SRTP tag if there is one'}) are ${note ? 'unreadable without the key' : 'unreadable without the SDP that keys them'}`,
      facts,
      layers: [{ title: 'RTP header (in clear)', bytes: toHex(payload.subarray(0, header.headerLength)), fields }],
    };
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
    return {
      access: note?.proto === 'RTP/AVP' ? 'all' : 'metadata',
      summary: `RTCP ${name} from the ${this.sender}, SSRC ${hex32(ssrc)}`,
      facts: [{ name: 'RTCP', value: `${name}, SSRC ${hex32(ssrc)}`, source: 'RTCP header (RFC 3550 §6.4)' }],
      layers: [],
    };
  }
}
