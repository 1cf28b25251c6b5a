/**
 * How SIP messages travel between the PBX and the SBC, whatever carries them:
 * records of a TLS connection (RFC 3261 §26.2, tls-over-tcp.ts), a plain TCP
 * stream framed by Content-Length (§18.3), or one UDP datagram per message
 * (§18.1.1). Each message goes out with the field tree its parser gives it,
 * and its packet is labelled with it in the ledger.
 */
import type { Party } from '../timeline';
import type { Endpoint } from '../net/address';
import type { TcpConnection } from '../net/tcp-connection';
import type { UdpSocket } from '../net/udp-socket';
import type { WirePacket } from '../net/wire-record';
import { sipSummary, type SipMessage } from '../sip/message';
import { SIP_LIMITS, parseSipMessage, type ParsedSipMessage } from '../sip/parse';
import { SipStreamFramer } from '../sip/stream';
import { isSipParseError } from '../sip/syntax-error';
import { writeSipMessage } from '../sip/write';
import type { TlsOverTcp } from './tls-over-tcp';
import type { TrunkRun } from './trunk-run';

export interface SipChannel {
  send(message: SipMessage): Promise<void>;
  close(): Promise<void>;
}

/** A SIP message that arrived, the bytes it came in, and the packet that completed it. */
export type SipArrival = (message: ParsedSipMessage, bytes: Uint8Array, via: number | undefined) => unknown;

/**
 * The failure a SIP message carries, if any: a final response that refuses
 * (RFC 3261 §21.4–§21.6), except the 401 and 407 challenges, which ask for
 * credentials and are part of a normal registration (§22.2).
 */
export function sipFailure(m: SipMessage): string | undefined {
  if (m.kind !== 'response' || m.status < 300 || m.status === 401 || m.status === 407) return undefined;
  return `${m.status} ${m.reason}`;
}

export function sipOverTls(session: TlsOverTcp): SipChannel {
  return { send: (m) => session.sendSip(m), close: () => session.close() };
}

/** Sends one SIP message in one UDP datagram and labels its packet. */
export function sendSipDatagram(run: TrunkRun, socket: UdpSocket, to: Endpoint, message: SipMessage, self: Party) {
  const record = socket.send(to, writeSipMessage(message));
  const note = run.ledger.note(record.index);
  note.protocol = 'SIP';
  note.labels.push(sipSummary(message));
  note.topics.push({ kind: 'sip', message, sender: self, over: 'udp' });
  const failure = sipFailure(message);
  if (failure) run.ledger.fail(record.index, failure);
  return record;
}

/** Reads a SIP datagram; bytes that are not SIP are noted on their packet and dropped (RFC 3261 §18.3). */
export function receiveSipDatagram(
  run: TrunkRun,
  self: Party,
  payload: Uint8Array,
  record: WirePacket,
): ParsedSipMessage | undefined {
  try {
    return parseSipMessage(payload, { annotate: false });
  } catch (e) {
    if (!isSipParseError(e)) throw e;
    run.ledger.note(record.index).unreadable[self] = `it is not a SIP message (${e.message}), so it is discarded`;
    return undefined;
  }
}

/** SIP over UDP to one peer. */
export function sipOverUdp(run: TrunkRun, socket: UdpSocket, to: Endpoint, self: Party): SipChannel {
  return {
    send: async (m) => void sendSipDatagram(run, socket, to, m, self),
    close: async () => undefined,
  };
}

/**
 * SIP over a plain TCP connection: messages framed by Content-Length as they
 * arrive; a stream that cannot be framed is given up (RFC 3261 §18.3). Bytes
 * that never complete a message (a TLS ClientHello, say) wait in the framer,
 * as a real stack's would, and the packet is noted as unreadable.
 */
export class SipOverTcp implements SipChannel {
  private readonly framer = new SipStreamFramer(SIP_LIMITS, false);
  private written = 0;

  constructor(
    private readonly run: TrunkRun,
    private readonly conn: TcpConnection,
    private readonly self: Party,
    onSip: SipArrival,
  ) {
    conn.onData = async (data) => {
      const via = run.arriving(self, conn.local, conn.remote);
      let frames;
      try {
        frames = this.framer.push(data);
      } catch (e) {
        if (!isSipParseError(e)) throw e;
        if (via !== undefined)
          run.ledger.note(via).unreadable[self] = `the stream does not frame as SIP (${e.message})`;
        conn.close();
        return;
      }
      if (frames.length === 0 && this.framer.pending > 0 && via !== undefined) {
        run.ledger.note(via).unreadable[self] =
          'these bytes do not begin a SIP message it can read; it waits for the blank line that ends SIP headers';
      }
      for (const f of frames) if (f.kind === 'message') await onSip(f.parsed, f.bytes, via);
    };
    conn.onEnd = () => conn.close();
  }

  async send(message: SipMessage): Promise<void> {
    if (!this.conn.writable) return;
    const encoded = writeSipMessage(message);
    const start = this.written;
    this.written += encoded.bytes.length;
    this.run.streams.add({
      connection: this.conn.id,
      start,
      end: this.written,
      sender: this.self,
      label: sipSummary(message),
      protocol: 'SIP',
      topic: { kind: 'sip', message, sender: this.self, over: 'tcp' },
      encrypted: false,
      wire: [],
      pending: [],
      ...(sipFailure(message) ? { failure: sipFailure(message) } : {}),
    });
    this.conn.write(encoded);
  }

  async close(): Promise<void> {
    this.conn.close();
  }
}
