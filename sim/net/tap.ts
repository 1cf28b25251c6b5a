/**
 * A tap: what an eavesdropper on the path learns, computed from the bytes it
 * sees and nothing else.
 *
 * Every packet gives away its IP and transport headers: who talks to whom,
 * on which ports, when, and how much. What the payload reveals depends on the
 * protocol, so the tap hands payloads to lenses the scenario chooses: TCP
 * payloads in stream order (the tap reassembles each direction as Wireshark
 * would), UDP payloads one datagram at a time. A lens says what a complete
 * message reveals and whether its content was readable or only its framing.
 * Lenses share a memory, so what one learns (an SDES key in clear SDP) can
 * be used by another (to decrypt the SRTP it keys).
 */
import type { DecodedLayer } from '../timeline';
import { isParseError } from '../wire/parse-error';
import { formatEndpoint, type Endpoint } from './address';
import { decodeWirePacket, type DecodedPacket } from './packet';
import { StreamReassembly } from './stream-reassembly';
import { TCP_FLAG, describeFlags } from './tcp-segment';
import type { WirePacket } from './wire-record';

export interface Fact {
  /** What was learned: `TLS server name (SNI)`, `SIP method`, `RTP SSRC`. */
  name: string;
  value: string;
  /** Where in the bytes it was read, with the specification: `ClientHello server_name (RFC 6066 §3)`. */
  source: string;
}

export interface Revelation {
  /** `all`: the content was readable; `metadata`: only its framing, sizes and timing. */
  access: 'all' | 'metadata';
  summary: string;
  facts: Fact[];
  layers: DecodedLayer[];
}

/** What the tap learned from one packet. */
export interface Observation {
  /** Index of the wire record. */
  record: number;
  access: 'all' | 'metadata';
  summary: string;
  facts: Fact[];
  layers: DecodedLayer[];
}

export interface Flow {
  transport: 'tcp' | 'udp';
  src: Endpoint;
  dst: Endpoint;
}

/** Reads one direction of a TCP stream. */
export interface StreamLens {
  /** More in-order bytes; returns what the messages they complete reveal. */
  read(bytes: Uint8Array): Revelation[];
  /** Whether the unfinished message in progress is readable, if one is. */
  readonly partial?: 'all' | 'metadata';
}

/** Reads UDP datagrams of one flow. */
export interface DatagramLens {
  read(payload: Uint8Array): Revelation;
}

/** What the tap remembers across packets and lenses. */
export interface TapMemory {
  /** Everything learned so far, each fact once. */
  readonly knowledge: Fact[];
  /** Notes lenses leave each other (e.g. `media 198.51.100.20:20000` → what the SDP said about it). */
  readonly notes: Map<string, unknown>;
}

export interface Lenses {
  stream?(flow: Flow, memory: TapMemory): StreamLens | undefined;
  datagram?(flow: Flow, memory: TapMemory): DatagramLens | undefined;
}

interface Direction {
  reassembly: StreamReassembly;
  lens?: StreamLens;
}

export class Tap implements TapMemory {
  readonly knowledge: Fact[] = [];
  readonly notes = new Map<string, unknown>();
  /** One observation per packet seen, by record index. */
  readonly observations = new Map<number, Observation>();
  private readonly streams = new Map<string, Direction>();
  private readonly datagrams = new Map<string, DatagramLens | undefined>();

  constructor(private readonly lenses: Lenses = {}) {}

  /** Looks at a packet on the wire and returns what it gives away. */
  see(record: WirePacket): Observation {
    let p: DecodedPacket;
    try {
      p = decodeWirePacket(record.bytes);
    } catch (e) {
      if (!isParseError(e)) throw e;
      return this.keep(record, {
        access: 'all',
        summary: `Unreadable packet of ${record.bytes.length} bytes (${e.message}).`,
        facts: [],
        layers: [],
      });
    }
    const flow = `${formatEndpoint(p.src)} → ${formatEndpoint(p.dst)}`;
    const base: Fact[] = [
      { name: 'Addresses', value: `${p.src.ip} → ${p.dst.ip}`, source: 'IPv4 header (RFC 791 §3.1)' },
    ];
    if (p.transport.kind === 'other') {
      return this.keep(record, {
        access: 'all',
        summary: `IP packet ${p.src.ip} → ${p.dst.ip}`,
        facts: base,
        layers: [],
      });
    }
    const transport = p.transport.kind.toUpperCase();
    base.push({
      name: `${transport} ports`,
      value: `${p.src.port} → ${p.dst.port}`,
      source: p.transport.kind === 'tcp' ? 'TCP header (RFC 9293 §3.1)' : 'UDP header (RFC 768)',
    });

    let found: Revelation[] = [];
    let partial: 'all' | 'metadata' | undefined;
    if (p.transport.kind === 'tcp') {
      const t = p.transport;
      let d = this.streams.get(flow);
      if (!d) {
        d = { reassembly: new StreamReassembly() };
        d.lens = this.lenses.stream?.({ transport: 'tcp', src: p.src, dst: p.dst }, this);
        this.streams.set(flow, d);
      }
      for (const chunk of d.reassembly.push(t.seq, t.flags, p.payload)) {
        if (d.lens) found = found.concat(d.lens.read(chunk));
      }
      // Bytes of a message not yet complete count as readable or not as that message is.
      if (p.payload.length > 0) partial = d.lens ? d.lens.partial : 'metadata';
      if (found.length === 0) {
        found.push(
          p.payload.length === 0
            ? { access: 'all', summary: `TCP ${describeFlags(t.flags)}`, facts: [], layers: [] }
            : {
                access: partial ?? 'all',
                summary: `TCP ${describeFlags(t.flags)} with ${p.payload.length} bytes${d.lens ? ' of a message not yet complete' : ''}`,
                facts: [],
                layers: [],
              },
        );
      }
      if (t.flags & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) {
        base.push({ name: 'TCP flags', value: describeFlags(t.flags), source: 'TCP header (RFC 9293 §3.1)' });
      }
    } else {
      if (!this.datagrams.has(flow)) {
        this.datagrams.set(flow, this.lenses.datagram?.({ transport: 'udp', src: p.src, dst: p.dst }, this));
      }
      const lens = this.datagrams.get(flow);
      found.push(
        lens
          ? lens.read(p.payload)
          : { access: 'metadata', summary: `UDP datagram of ${p.payload.length} bytes`, facts: [], layers: [] },
      );
    }
    return this.keep(record, {
      access: found.some((r) => r.access === 'metadata') || partial === 'metadata' ? 'metadata' : 'all',
      summary: found.map((r) => r.summary).join('; '),
      facts: [...base, ...found.flatMap((r) => r.facts)],
      layers: found.flatMap((r) => r.layers),
    });
  }

  private keep(record: WirePacket, o: Omit<Observation, 'record'>): Observation {
    const observation = { record: record.index, ...o };
    this.observations.set(record.index, observation);
    for (const f of o.facts) {
      if (!this.knowledge.some((k) => k.name === f.name && k.value === f.value)) this.knowledge.push(f);
    }
    return observation;
  }
}
