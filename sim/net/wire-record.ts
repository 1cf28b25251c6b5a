/**
 * What the network records about each packet as it crosses the wire: the
 * bytes and their field tree, who put them there and who received them, when,
 * and what happened to them on the way. These records become the Timeline's
 * steps and the capture's packets.
 */
import type { Party } from '../timeline';
import type { Field } from '../wire/field';
import { formatEndpoint, type Endpoint } from './address';
import { toHex } from '../wire/bytes';

/** How a packet came to be on the wire. */
export type PacketOrigin =
  /** An endpoint's stack sent it. */
  | 'sent'
  /** The attacker sent a copy of bytes it captured earlier. */
  | 'replayed'
  /** The attacker changed bits of a packet in flight. */
  | 'tampered'
  /** The attacker rewrote a packet in flight (headers or content). */
  | 'rewritten'
  /** The attacker made it up (with a forged source address, say). */
  | 'injected';

/** What became of a packet. */
export type PacketFate =
  /** Still travelling (only seen while a run is in progress). */
  | 'in-flight'
  /** Its receiver's stack accepted it. */
  | 'delivered'
  /** The on-path attacker took it: delivered to the attacker's own stack instead of the addressee. */
  | 'intercepted'
  /** The on-path attacker dropped it. */
  | 'dropped'
  /** The on-path attacker sent something else in its place (see `replacedBy`). */
  | 'replaced'
  /** The receiver discarded it: a header or transport checksum was wrong. */
  | 'bad-checksum'
  /** The receiver could not parse its headers. */
  | 'malformed'
  /** Nothing listened on the destination port (UDP: dropped; TCP: answered with RST). */
  | 'no-listener'
  /** No host has the destination address. */
  | 'unroutable';

/** Where a TCP segment's data sits in its connection's byte stream. */
export interface StreamPosition {
  /** Names the connection, e.g. `203.0.113.10:49152 → 198.51.100.20:5061`. */
  connection: string;
  /** Offset of the segment's first data byte in the sender's stream (0 = first byte after the SYN). */
  offset: number;
  length: number;
}

export interface WirePacket {
  /** Position in the run's record, from 0. */
  index: number;
  /** When the packet was put on the wire, in microseconds since the run began. */
  timeUs: number;
  /** When it reached whoever received it. */
  arrivalUs?: number;
  /** Who put these bytes on the wire. */
  from: Party;
  /** Who received them (the attacker, when it intercepted or dropped them). */
  to: Party;
  /** Addresses as the packet's headers state them (a forged source shows as forged). */
  src: Endpoint;
  dst: Endpoint;
  transport: 'tcp' | 'udp' | 'other';
  /** The exact bytes: an IPv4 packet. */
  bytes: Uint8Array;
  /** The field tree that explains every byte. */
  fields: Field[];
  /** The transport payload's offset and length in `bytes`. */
  payloadOffset: number;
  payloadLength: number;
  /** TCP header values, for ladders and reassembly. */
  tcp?: { seq: number; ack: number; flags: number; window: number };
  /** For TCP data: where it sits in its stream. */
  stream?: StreamPosition;
  origin: PacketOrigin;
  /** The record this one copies or modifies (replay, tamper, rewrite). */
  derivedFrom?: number;
  /** Records the attacker sent instead of this one. */
  replacedBy?: number[];
  fate: PacketFate;
  /** Parties whose machines saw these bytes: sender, receiver and any on-path attacker. */
  seenBy: Party[];
  /** What the attacker did, or why the packet was discarded, in words. */
  note?: string;
}

/** The parts of a Timeline step that come straight from the wire. */
export function wireStepFields(r: WirePacket): {
  time: number;
  from: Party;
  to: Party;
  src: string;
  dst: string;
  transport: 'tcp' | 'udp';
  bytes: string;
  fields: Field[];
} {
  return {
    time: r.timeUs / 1000,
    from: r.from,
    to: r.to,
    src: formatEndpoint(r.src),
    dst: formatEndpoint(r.dst),
    transport: r.transport === 'tcp' ? 'tcp' : 'udp',
    bytes: toHex(r.bytes),
    fields: r.fields,
  };
}
