/**
 * SIP read from a capture, with the lab's own parser (sim/sip/parse.ts):
 *
 * - over UDP, one message per datagram (RFC 3261 §18.3);
 * - over TCP, or inside TLS once it is decrypted, messages framed in a byte
 *   stream by Content-Length (RFC 3261 §18.3, sim/sip/stream.ts).
 *
 * On a stream, bytes arrive in pieces (segments, or TLS records) that have
 * nothing to do with messages. Each piece is explained when it arrives: the
 * messages it completes, with their field trees (cut to the piece when a
 * message began in an earlier one), CRLF keepalives (RFC 5626 §3.5.1), and
 * the start of a message still to be completed. A stream that stops framing
 * as SIP says why, once, and the rest of it is explained as unframed bytes.
 */
import type { DecodedLayer } from '../timeline';
import type { Field } from '../wire/field';
import { toHex } from '../wire/bytes';
import { isParseError } from '../wire/parse-error';
import { clipFields } from '../net/annotated-stream';
import { parseSipMessage, SIP_LIMITS, type ParsedSipMessage } from '../sip/parse';
import { SipStreamFramer } from '../sip/stream';
import { sipSummary } from '../sip/message';

export interface CapturedSipMessage {
  bytes: Uint8Array;
  parsed: ParsedSipMessage;
}

/** What one piece of a stream (or one datagram) holds, explained. */
export interface SipPiece {
  /** Fields covering the piece, ranges from its first byte. */
  fields: Field[];
  /** Ladder labels: `INVITE`, `SIP message (part)`. */
  labels: string[];
  /** Whole messages completed in it, as layers an endpoint reads. */
  layers: DecodedLayer[];
  messages: CapturedSipMessage[];
  /** Why the stream (or datagram) is not SIP. */
  problem?: string;
}

/** The ladder label of a message, as the simulated runs label it: `INVITE`, `200 OK`. */
export function sipLabel(p: ParsedSipMessage): string {
  return sipSummary(p.message);
}

/** One direction of a SIP stream over TCP or inside TLS. */
export class SipStreamReader {
  private readonly framer: SipStreamFramer;
  /** Stream offset of the end of the last whole frame. */
  private framed = 0;
  /** Bytes read so far. */
  private read = 0;
  private failed?: string;

  /**
   * `over` names what carried the piece for the notes: `segment`, `record`. Without `explain`, a piece has
   * its labels and messages but no fields or layers, and the messages no field trees: nothing builds what
   * nobody will show.
   */
  constructor(
    private readonly over: 'segment' | 'record',
    private readonly explain = true,
  ) {
    this.framer = new SipStreamFramer(SIP_LIMITS, explain);
  }

  push(chunk: Uint8Array): SipPiece {
    const from = this.read;
    this.read += chunk.length;
    const piece: SipPiece = { fields: [], labels: [], layers: [], messages: [] };
    if (this.failed) return this.unframed(piece, 0, chunk.length);
    let frames;
    try {
      frames = this.framer.push(chunk);
    } catch (e) {
      if (!isParseError(e)) throw e;
      this.failed = e.message;
      piece.problem = `the stream stopped framing as SIP: ${e.message}`;
      return this.unframed(piece, Math.max(0, this.framed - from), chunk.length);
    }
    for (const f of frames) {
      const start = this.framed;
      const end = start + f.bytes.length;
      this.framed = end;
      if (f.kind === 'keepalive') {
        if (!this.explain) continue;
        piece.fields.push({
          name: 'CRLF keepalive',
          start: Math.max(start, from) - from,
          end: end - from,
          value: `${f.bytes.length} bytes`,
          note: 'Empty lines between messages: a keepalive ping (RFC 5626 §3.5.1) or padding (RFC 3261 §7.5).',
          spec: 'RFC 5626 §3.5.1',
        });
        continue;
      }
      const label = sipLabel(f.parsed);
      piece.labels.push(label);
      piece.messages.push({ bytes: f.bytes, parsed: f.parsed });
      if (!this.explain) continue;
      if (start >= from) {
        piece.fields.push(...clipFields(f.parsed.fields, 0, f.bytes.length, start - from));
      } else {
        // The message began in an earlier piece: this one holds its end; the whole message is its own layer.
        piece.fields.push(...clipFields(f.parsed.fields, from - start, f.bytes.length, start - from));
        piece.layers.push(sipLayer(f.bytes, f.parsed));
      }
    }
    if (this.framed < this.read) {
      const start = Math.max(this.framed, from) - from;
      piece.labels.push('SIP message (part)');
      if (this.explain)
        piece.fields.push({
          name: 'Part of a SIP message',
          start,
          end: chunk.length,
          value: `${chunk.length - start} bytes`,
          note: `The message continues in a later ${this.over}: it is read once its headers and its Content-Length of body are all in (RFC 3261 §18.3).`,
          spec: 'RFC 3261 §18.3',
        });
    }
    return piece;
  }

  private unframed(piece: SipPiece, start: number, end: number): SipPiece {
    if (end > start && this.explain) {
      piece.fields.push({
        name: 'Bytes that do not frame as SIP',
        start,
        end,
        value: `${end - start} bytes`,
        note: `After a framing error the stream cannot be read further (RFC 3261 §18.3): ${this.failed}.`,
        spec: 'RFC 3261 §18.3',
      });
    }
    piece.problem ??= `the stream stopped framing as SIP: ${this.failed}`;
    return piece;
  }
}

/** One SIP message in a UDP datagram (RFC 3261 §18.3); without `explain`, no field trees (SipStreamReader). */
export function readSipDatagram(payload: Uint8Array, explain = true): SipPiece {
  try {
    const parsed = parseSipMessage(payload, { transport: 'datagram', annotate: explain });
    return {
      fields: parsed.fields,
      labels: [sipLabel(parsed)],
      layers: [],
      messages: [{ bytes: payload, parsed }],
    };
  } catch (e) {
    if (!isParseError(e)) throw e;
    return {
      fields: [
        {
          name: 'Not a SIP message',
          start: 0,
          end: payload.length,
          value: `${payload.length} bytes`,
          note: e.message,
          spec: 'RFC 3261 §7',
        },
      ],
      labels: ['Not SIP'],
      layers: [],
      messages: [],
      problem: e.message,
    };
  }
}

function sipLayer(bytes: Uint8Array, parsed: ParsedSipMessage): DecodedLayer {
  return { title: `SIP ${sipLabel(parsed)}`, bytes: toHex(bytes), fields: parsed.fields };
}

/** Whether bytes begin like a SIP message: a request line's method or `SIP/2.0` (RFC 3261 §7.1, §7.2). */
export function looksLikeSip(bytes: Uint8Array): boolean {
  // A method or `SIP/2.0` starts with an upper-case letter, after any CRLFs; RTP starts with version bits 10.
  const first = bytes[0];
  if (first !== 0x0d && (first < 0x41 || first > 0x5a)) return false;
  let text = '';
  for (let i = 0; i < Math.min(bytes.length, 16); i++) text += String.fromCharCode(bytes[i]);
  return /^(?:\r\n)*(?:SIP\/2\.0 |[A-Z]{3,10} [a-zA-Z])/.test(text);
}
