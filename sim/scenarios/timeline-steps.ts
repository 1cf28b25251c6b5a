/**
 * A wire record and what the ledger says about it, as a Timeline step: the
 * bytes and their field tree as they crossed the wire, the ladder label,
 * what each party could read of it, the state parties gained, the
 * explanation and the failure it carries.
 *
 * Who reads what:
 * - the sender reads what it wrote, and the receiver what it could open
 *   (a record whose tag failed is refused unread);
 * - the attacker on the path reads what its tap computed from the bytes
 *   (tap.ts and its lenses), unless it is an endpoint itself: the
 *   connection the PBX opened ended at it (interception), or it sent the
 *   packet;
 * - a party whose machine never saw the packet reads nothing.
 */
import type { Party, PartyView, Phase, Step } from '../timeline';
import { PARTIES } from '../timeline';
import { TCP_FLAG } from '../net/tcp-segment';
import { wireStepFields, type WirePacket } from '../net/wire-record';
import type { StepNote, Topic } from './step-ledger';
import { explainStep } from './explanations';
import { phaseOf } from './phase-of-step';
import type { TrunkRun } from './trunk-run';

/** A TCP segment's flags as a ladder label, in the order the handshake uses them. */
export function tcpLabel(flags: number): string {
  const names: string[] = [];
  if (flags & TCP_FLAG.SYN) names.push('SYN');
  if (flags & TCP_FLAG.FIN) names.push('FIN');
  if (flags & TCP_FLAG.RST) names.push('RST');
  if (flags & TCP_FLAG.ACK) names.push('ACK');
  return names.join(', ') || 'TCP';
}

/**
 * @param before the phase of the step before this one, which a packet that
 *   names no phase of its own (a bare ACK, an alert) stays in
 */
export function buildStep(run: TrunkRun, record: WirePacket, index: number, before?: Phase): Step {
  const own = run.ledger.find(record.index);
  // A copy the attacker made (altered, replayed) carries what its original carried.
  const original = record.derivedFrom !== undefined ? run.ledger.find(record.derivedFrom) : undefined;
  const note: StepNote | undefined =
    own?.labels.length || !original
      ? own
      : {
          labels: original.labels,
          topics: original.topics,
          ...(original.protocol ? { protocol: original.protocol } : {}),
          layers: own?.layers ?? {},
          unreadable: own?.unreadable ?? {},
          events: own?.events ?? [],
          ...(own?.failure ? { failure: own.failure } : {}),
        };
  const wire = wireStepFields(record);
  const labels = note?.labels ?? [];
  // A copy the attacker altered or sent again says so in its label: `SRTP (replayed)`.
  const origin = record.origin === 'sent' ? '' : ` (${record.origin})`;
  const label = labels.length ? labels.join(', ') : tcpLabel(record.tcp?.flags ?? 0);
  const summary = label + origin;
  const protocol = note?.protocol ?? (record.transport === 'tcp' ? 'TCP' : 'RTP');
  const views = {} as Record<Party, PartyView>;
  for (const p of PARTIES) views[p] = view(run, record, note, p, summary);
  const { explanation, articles, unmarked: unmarkedText } = explainStep(run, record, note);
  // The same words without the attacker's doing or the run's own article: what a trainee reads first.
  const unmarked =
    origin || unmarkedText
      ? {
          summary: label,
          explanation: unmarkedText?.explanation ?? explanation,
          articles: unmarkedText?.articles ?? articles,
          views: Object.fromEntries(
            PARTIES.map((p) => [p, view(run, record, note, p, label, { unmarked: true }).summary]),
          ) as Record<Party, string>,
        }
      : undefined;
  // A packet for the PBX's private address went nowhere, but it was meant for the PBX.
  if (record.fate === 'unroutable' && record.dst.ip === run.carrier.customer.pbxPrivateIp) wire.to = 'pbx';
  // One the customer's NAT router dropped was on its way to the other end, and that is where the ladder points it.
  const natDropped = record.fate === 'dropped' && run.net.nat !== undefined;
  if (natDropped) wire.to = record.dst.ip === run.carrier.sbc.ip ? 'sbc' : 'pbx';
  const failure =
    note?.failure ??
    (natDropped ? 'dropped by the customer’s NAT router: it has no state for this connection' : undefined);
  return {
    index,
    phase: phaseOf(note?.topics ?? [], record.tcp?.flags, before),
    ...wire,
    protocol,
    summary,
    views,
    explanation,
    articles,
    events: note?.events ?? [],
    ...(failure ? { failure } : {}),
    ...(unmarked ? { unmarked } : {}),
  };
}

/** @param options.unmarked leave out what the attacker did to the packet it sent (a trainee's first reading) */
function view(
  run: TrunkRun,
  r: WirePacket,
  note: StepNote | undefined,
  party: Party,
  summary: string,
  options: { unmarked?: boolean } = {},
): PartyView {
  const layers = note?.layers[party] ?? [];
  const sentByAttacker = party === 'attacker' && r.from === 'attacker' && r.origin !== 'sent';
  if (r.from === party && !sentByAttacker) {
    return { access: 'all', summary: `Sent it: it wrote this ${summary} and knows every byte.`, layers };
  }
  // A packet dropped on its way (by the attacker, or by the customer's NAT router) reached nobody's stack.
  const received =
    r.to === party &&
    r.seenBy.includes(party) &&
    (party !== 'attacker' ? r.fate !== 'dropped' : r.fate === 'intercepted' || r.fate === 'delivered');
  if (received) {
    const unreadable = note?.unreadable[party];
    if (unreadable) return { access: 'metadata', summary: `Received it, but ${unreadable}.`, layers: [] };
    if (layers.length === 0 && note?.topics.some(sealed)) {
      return {
        access: 'metadata',
        summary: note.labels.every((l) => l.includes('(part'))
          ? 'Received the first part of an encrypted record: it decrypts the record once the rest arrives.'
          : 'Received it, but did not open it: its TLS session had already ended.',
        layers: [],
      };
    }
    return {
      access: 'all',
      summary: layers.length
        ? `Received it and decrypted it: it reads the ${summary} inside.`
        : `Received it and reads all of it.`,
      layers,
    };
  }
  if (party === 'attacker' && r.seenBy.includes('attacker')) return attackerView(run, r, layers, options.unmarked);
  return { access: 'none', summary: 'Never saw it: the packet did not pass its machine.', layers: [] };
}

/** What the attacker on the path learned: its tap's reading of the bytes, and any plaintext it recovered. */
function attackerView(run: TrunkRun, r: WirePacket, recovered: PartyView['layers'], unmarked = false): PartyView {
  const seen = run.net.tap.observations.get(
    r.derivedFrom !== undefined && r.from === 'attacker' ? r.derivedFrom : r.index,
  );
  const did =
    r.from === 'attacker' && !unmarked ? `It sent this ${r.origin} packet${r.note ? ` (${r.note})` : ''}. ` : '';
  if (recovered.length > 0) {
    return {
      access: 'all',
      summary: `${did}It holds the keys and reads all of it (${recovered[0].title.replace(/^[A-Z]/, (c) => c.toLowerCase())}).`,
      layers: [...(seen?.layers ?? []), ...recovered],
    };
  }
  if (!seen) return { access: 'metadata', summary: `${did}Only the headers and size.`, layers: [] };
  return { access: seen.access, summary: `${did}${seen.summary}`, layers: seen.layers };
}

/** Whether a topic's content travels encrypted. */
function sealed(t: Topic): boolean {
  return (
    ((t.kind === 'tls' || t.kind === 'alert') && t.encrypted) ||
    ((t.kind === 'sip' || t.kind === 'keepalive') && t.over === 'tls')
  );
}

/** Whether a packet's step is final: its fate is known (delivered, dropped, refused...). */
export function settled(r: WirePacket): boolean {
  return r.fate !== 'in-flight';
}
