/**
 * What the parties knew about each packet of a run, written down as it
 * happens, by wire record: which messages the packet carries (its ladder
 * labels and topics), what each party could read inside it, the state they
 * gained when sending or receiving it, and whether it carries a failure.
 * The Timeline's steps are built from the wire records and this ledger.
 */
import type { DecodedLayer, Party, Protocol, StateEvent } from '../timeline';
import type { SipMessage } from '../sip/message';
import type { TlsAlert } from '../tls/alert';
import type { TlsVersion } from '../tls/codepoints';

/** What a packet carries, for its explanation and article links. */
export type Topic =
  | { kind: 'tls'; message: string; sender: Party; version?: TlsVersion; encrypted: boolean }
  | { kind: 'alert'; alert: TlsAlert; sender: Party; encrypted: boolean }
  | { kind: 'sip'; message: SipMessage; sender: Party; over: 'tls' | 'tcp' | 'udp' }
  | { kind: 'media'; protocol: 'RTP' | 'SRTP' | 'RTCP' | 'SRTCP'; sender: Party }
  /** A CRLF keepalive on a SIP flow (RFC 5626 §3.5.1). */
  | { kind: 'keepalive'; keepalive: 'ping' | 'pong'; sender: Party; over: 'tls' | 'tcp' };

export interface StepNote {
  protocol?: Protocol;
  /** Ladder labels of the messages in this packet, in order. */
  labels: string[];
  topics: Topic[];
  /** Content a party read inside the packet, beyond its wire bytes. */
  layers: Partial<Record<Party, DecodedLayer[]>>;
  /** A party that received the packet but could not read it, and why. */
  unreadable: Partial<Record<Party, string>>;
  events: StateEvent[];
  failure?: string;
  /** Its sender sent these bytes before, and no acknowledgment came (RFC 6298 §5). */
  retransmission?: boolean;
}

export class StepLedger {
  private readonly notes = new Map<number, StepNote>();

  /** The note of a wire record, started on first use. */
  note(index: number): StepNote {
    let n = this.notes.get(index);
    if (!n) {
      n = { labels: [], topics: [], layers: {}, unreadable: {}, events: [] };
      this.notes.set(index, n);
    }
    return n;
  }

  find(index: number): StepNote | undefined {
    return this.notes.get(index);
  }

  /** Adds a layer a party read, once. */
  addLayer(index: number, party: Party, layer: DecodedLayer): void {
    const { layers } = this.note(index);
    const read = layers[party];
    // Most packets give a party one layer: a list made with it is its size, one grown by push keeps room for 17.
    if (!read) layers[party] = [layer];
    else if (!read.includes(layer)) read.push(layer);
  }

  /** Marks the packet as carrying a failure; the first one written stays. */
  fail(index: number, failure: string): void {
    const n = this.note(index);
    n.failure ??= failure;
  }
}
