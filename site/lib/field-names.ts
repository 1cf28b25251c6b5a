/**
 * Fields named the way people write them: `tls.handshake.extensions.key_share`,
 * `sip.via`, `sdp.a=crypto`. Articles name the field a live figure opens by
 * such a path, and the lab's address takes the same path (`&field=…`), so a
 * figure's "Open in the lab" lands on the same field.
 *
 * A path is a list of segments joined by dots. Each segment names one field
 * on the way down: by the protocol layer it opens (`ip`, `tcp`, `tls`,
 * `handshake`, `sip`, `sdp`, `srtp` …), by its name as the engine spells it,
 * lower case, with spaces as `_` (`cipher_suite`, `authentication_tag`), or,
 * for an SDP line, as the line is written (`a=crypto`, `m=audio`). Fields in
 * between may be left out: `tls.handshake.extensions.key_share` skips the
 * record's `fragment` and the message's `body`. `[n]` picks the n-th of
 * sibling fields with the same name (`ciphersuite[2]`), from 1.
 *
 * A step's bytes are looked up on the wire first, then in each layer the
 * chosen party decrypted (the SIP inside a TLS record, the RTP inside SRTP):
 * the attacker's lens has no such layers, so a path into the SIP of a secure
 * trunk finds nothing there, which is the point of that lens.
 *
 * These read the engine's annotations (sim/wire/field.ts); they compute no
 * protocol data.
 */
import type { Field, Layer, Party, Step } from '../../sim/index';
import { layerStack, type FieldPath } from './field-paths';

/** A field named by people: `tls.handshake.extensions.key_share`. */
export type NamedField = string;

const LAYER_NAMES: Record<Layer, string> = {
  ipv4: 'ip',
  ipv6: 'ipv6',
  udp: 'udp',
  tcp: 'tcp',
  'tls-record': 'tls',
  'tls-handshake': 'handshake',
  'tls-alert': 'alert',
  'tls-application': 'application_data',
  sip: 'sip',
  sdp: 'sdp',
  rtp: 'rtp',
  rtcp: 'rtcp',
  srtp: 'srtp',
  srtcp: 'srtcp',
  pcap: 'pcap',
  x509: 'certificate',
};

/** What a named path may hold: lower-case words, `=`, `-`, `_`, dots and `[n]`. */
const NAMED_FIELD = /^[a-z0-9=_-]+(?:\[[1-9]\d{0,3}\])?(?:\.[a-z0-9=_-]+(?:\[[1-9]\d{0,3}\])?){0,15}$/;

export function isNamedField(text: string): boolean {
  return text.length <= 200 && NAMED_FIELD.test(text);
}

/**
 * `Authentication tag` → `authentication_tag`; `key||salt` → `key_salt`; a name of punctuation only,
 * such as the `@` of a SIP URI, by its characters' codes (`x40`).
 */
export function nameSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9=_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug !== '' ? slug : `x${[...name].map((c) => c.codePointAt(0)!.toString(16)).join('')}`;
}

/** An SDP line as written: the field `a= attribute` whose value is `crypto:1 …` is `a=crypto`. */
function sdpLineName(field: Field): string | undefined {
  const line = /^([a-z])=\s/.exec(field.name);
  const word = field.value ? /^[A-Za-z0-9_-]+/.exec(field.value) : null;
  return line && word ? `${line[1]}=${word[0].toLowerCase()}` : undefined;
}

/** Every name a segment may use for this field; the first is the one paths are written with. */
export function namesOf(field: Field): string[] {
  const names = [field.layer ? LAYER_NAMES[field.layer] : undefined, sdpLineName(field), nameSlug(field.name)];
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

interface Segment {
  name: string;
  /** The n-th sibling answering to `name`, from 1; undefined: any. */
  nth?: number;
}

function parse(path: NamedField): Segment[] {
  return path.split('.').map((part) => {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    return m ? { name: m[1], nth: Number(m[2]) } : { name: part };
  });
}

/**
 * The index path (field-paths.ts) of the field `path` names in this tree;
 * undefined when it names none. Each segment is matched to the nearest field
 * below the one before it (the fewest levels skipped, then the first in
 * document order), trying the next nearest when the rest of the path is not
 * found under it: `tls.type` is the record's own type, not a type field deep
 * inside its content.
 */
export function findNamedField(fields: readonly Field[], path: NamedField): FieldPath | undefined {
  if (!isNamedField(path)) return undefined;
  const segments = parse(path);
  const find = (list: readonly Field[], prefix: string, k: number): FieldPath | undefined => {
    for (const candidate of nearest(list, prefix, segments[k])) {
      if (k === segments.length - 1) return candidate.path;
      const found = find(candidate.field.children ?? [], `${candidate.path}.`, k + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find(fields, '', 0);
}

/** The fields under `list` (at any depth) that answer to `segment`, the shallowest first, then in document order. */
function nearest(list: readonly Field[], prefix: string, segment: Segment): Array<{ field: Field; path: FieldPath }> {
  const found: Array<{ field: Field; path: FieldPath; depth: number; order: number }> = [];
  let order = 0;
  const visit = (fields: readonly Field[], at: string, depth: number) => {
    let nth = 0;
    fields.forEach((field, i) => {
      const path = at + String(i);
      if (namesOf(field).includes(segment.name)) {
        nth += 1;
        if (segment.nth === undefined || segment.nth === nth) found.push({ field, path, depth, order });
      }
      order += 1;
      if (field.children && field.children.length > 0) visit(field.children, `${path}.`, depth + 1);
    });
  };
  visit(list, prefix, 0);
  return found.sort((a, b) => a.depth - b.depth || a.order - b.order);
}

/**
 * The named path of the field at `indexPath`: every field on the way down, by
 * its first name, with `[n]` where siblings share the name. What the figure
 * puts in the lab's address for a field the reader chose.
 */
export function namedPathOf(fields: readonly Field[], indexPath: FieldPath): NamedField | undefined {
  const parts: string[] = [];
  let list: readonly Field[] | undefined = fields;
  for (const part of indexPath.split('.')) {
    const i = Number(part);
    const field: Field | undefined = list?.[i];
    if (!list || !field) return undefined;
    const name = namesOf(field)[0];
    const same = list.filter((f) => namesOf(f).includes(name));
    const nth = list.slice(0, i + 1).filter((f) => namesOf(f).includes(name)).length;
    parts.push(same.length > 1 ? `${name}[${nth}]` : name);
    list = field.children;
  }
  return parts.join('.');
}

/** One block of bytes of a step as a party reads it: the wire, or a layer it decrypted. */
export interface StepPlace {
  /** -1 for the wire; else the index in `views[party].layers`. */
  layer: number;
  /** The layer's title from the engine, or undefined for the wire. */
  title?: string;
  hex: string;
  fields: Field[];
}

/** The blocks of bytes a party can read in a step, the wire first. Empty when it never saw the packet. */
export function placesOf(step: Step, party: Party): StepPlace[] {
  const view = step.views[party];
  if (view.access === 'none') return [];
  return [
    { layer: -1, hex: step.bytes, fields: step.fields },
    ...view.layers.map((l, i) => ({ layer: i, title: l.title, hex: l.bytes, fields: l.fields })),
  ];
}

/** Where the named field is in what `party` can read of a step: on the wire first, then in what it decrypted. */
export function findInStep(
  step: Step,
  party: Party,
  named: NamedField,
): { place: StepPlace; path: FieldPath } | undefined {
  for (const place of placesOf(step, party)) {
    const path = findNamedField(place.fields, named);
    if (path !== undefined) return { place, path };
  }
  return undefined;
}

export interface FieldFocus {
  place: StepPlace;
  path: FieldPath;
  /**
   * True when the packet has the named field but this lens cannot read it (an attacker, a secure
   * trunk's SIP), and the field shown is what it can read instead.
   */
  fallback: boolean;
  /** True when the field shown is the one named. */
  named: boolean;
}

/**
 * Which field to open in a step, through a party's eyes: the named one where
 * that party can read it; otherwise the innermost protocol layer it can read
 * (the SIP message it decrypted, or the TLS record that is all an attacker
 * has). Undefined when the party never saw the packet.
 */
export function focusField(step: Step, party: Party, named?: NamedField): FieldFocus | undefined {
  const places = placesOf(step, party);
  if (places.length === 0) return undefined;
  const found = named !== undefined ? findInStep(step, party, named) : undefined;
  if (found) return { ...found, fallback: false, named: true };
  // Another party can read it here, so this one is shown what it has instead.
  const fallback = named !== undefined && PARTIES.some((p) => p !== party && findInStep(step, p, named));
  for (const place of [...places].reverse()) {
    const layers = layerStack(place.fields);
    const innermost = layers[layers.length - 1];
    if (innermost) return { place, path: innermost.path, fallback, named: false };
  }
  const place = places[places.length - 1];
  return place.fields.length > 0 ? { place, path: '0', fallback, named: false } : undefined;
}

const PARTIES: readonly Party[] = ['pbx', 'attacker', 'sbc'];
