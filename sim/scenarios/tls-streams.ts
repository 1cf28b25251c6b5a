/**
 * Which TLS records travel in which packets. Each side writes its records to
 * its TCP connection; TCP cuts the stream into segments where it must (RFC
 * 9293 §3.7), so a record may span several packets. Every record written is
 * entered here with its place in its connection's stream, and every packet
 * that carries stream bytes is matched against those places as it leaves:
 * that is how a packet gets its ladder label (`ClientHello`, `REGISTER`),
 * and how what a party read inside a record reaches the packet that
 * completed it. A segment its sender puts on the wire again, because the
 * first copy was never acknowledged (RFC 6298 §5), is labelled as such.
 */
import type { DecodedLayer, Party, Protocol, StateEvent } from '../timeline';
import type { WirePacket } from '../net/wire-record';
import type { StepLedger, Topic } from './step-ledger';

export interface RecordEntry {
  /** The sending connection's name (`TcpConnection.id`), as the wire records carry it. */
  connection: string;
  /** The record's place in that stream: offsets of its first byte and one past its last. */
  start: number;
  end: number;
  sender: Party;
  /** Ladder label: `ClientHello`, `Alert unknown_ca`, `REGISTER`. */
  label: string;
  protocol: Protocol;
  topic: Topic;
  /** For a protected record, the plaintext inside as the sender wrote it. */
  layer?: DecodedLayer;
  encrypted: boolean;
  /** Wire records that carried its bytes (a tampered copy included), in order. */
  wire: number[];
  /** State the sender gained when it wrote this record, for the first packet that carries it. */
  pending: StateEvent[];
  failure?: string;
}

export class TlsStreams {
  private readonly byConnection = new Map<string, RecordEntry[]>();
  /** How far into each connection's stream its sender has sent, by the packets it sent itself. */
  private readonly sentTo = new Map<string, number>();

  constructor(private readonly ledger: StepLedger) {}

  add(entry: RecordEntry): void {
    let list = this.byConnection.get(entry.connection);
    if (!list) this.byConnection.set(entry.connection, (list = []));
    list.push(entry);
  }

  /** The records written to a connection, in stream order. */
  entries(connection: string): RecordEntry[] {
    return this.byConnection.get(connection) ?? [];
  }

  /** The record whose bytes begin the packet's payload, if any. */
  firstCarried(record: WirePacket): RecordEntry | undefined {
    if (!record.stream) return undefined;
    const at = record.stream.offset;
    return this.entries(record.stream.connection).find((e) => e.start <= at && at < e.end);
  }

  /** A packet left: note which records it carries and what its sender read in them. */
  map(record: WirePacket): void {
    const s = record.stream;
    if (!s || s.length === 0) return;
    const list = this.byConnection.get(s.connection);
    if (!list) return;
    const from = s.offset;
    const to = s.offset + s.length;
    const note = this.ledger.note(record.index);
    if (record.origin === 'sent') {
      const before = this.sentTo.get(s.connection) ?? 0;
      if (from < before) note.retransmission = true;
      this.sentTo.set(s.connection, Math.max(before, to));
    }
    for (const e of list) {
      if (e.end <= from) continue;
      if (e.start >= to) break;
      e.wire.push(record.index);
      const complete = e.end <= to;
      const label = complete ? e.label : `${e.label} (part ${e.wire.length})`;
      note.labels.push(note.retransmission ? `${label} (TCP retransmission)` : label);
      if (!note.topics.includes(e.topic)) note.topics.push(e.topic);
      if (e.protocol === 'SIP' || !note.protocol) note.protocol = e.protocol;
      if (e.wire.length === 1) {
        note.events.push(...e.pending);
        e.pending = [];
        if (e.failure) this.ledger.fail(record.index, e.failure);
      }
      if (complete && e.layer && record.from === e.sender) this.ledger.addLayer(record.index, e.sender, e.layer);
    }
  }
}
