/**
 * The annotated field tree: the one description of a packet's bytes.
 *
 * Every protocol layer writes and parses its bytes through `ByteWriter` and
 * `ByteReader`, which record a `Field` for each value at the moment it is
 * written or read. The packet inspector renders this tree; nothing else
 * describes the bytes, so the description cannot drift from them.
 */

/** Which protocol layer a field belongs to, so the inspector can stack layers. */
export type Layer =
  | 'ipv4'
  | 'ipv6'
  | 'udp'
  | 'tcp'
  | 'tls-record'
  | 'tls-handshake'
  | 'tls-alert'
  | 'tls-application'
  | 'sip'
  | 'sdp'
  | 'rtp'
  | 'rtcp'
  | 'srtp'
  | 'srtcp'
  | 'pcap'
  | 'x509';

export interface Field {
  /** The field's name as the specification spells it: `legacy_version`, `Via`, `SSRC`. */
  name: string;
  /** Byte range within the packet: `[start, end)`. */
  start: number;
  end: number;
  /** The value as a person reads it: `TLS 1.2 (0x0303)`, `sips:alice@pbx.example`. */
  value?: string;
  /** One line that says what the field is for. */
  note?: string;
  /** Where it is specified, as `RFC 8446 §4.1.2`; see `specUrl`. */
  spec?: string;
  /** Set on the field that opens a protocol layer. */
  layer?: Layer;
  children?: Field[];
}

/** What a field says of its bytes, apart from where they are. */
export type FieldWords = Pick<Field, 'name' | 'value' | 'note' | 'spec' | 'layer'>;

/** What a caller says about a value it writes or reads. */
export interface Annotation<V = unknown> {
  name: string;
  /** Shown beside the raw bytes; a function receives the value read or written. */
  value?: string | ((v: V) => string);
  note?: string;
  spec?: string;
  layer?: Layer;
}

/** Depth-first list of the fields that have no children. */
export function leafFields(fields: readonly Field[]): Field[] {
  const out: Field[] = [];
  const visit = (f: Field) => {
    if (f.children && f.children.length > 0) f.children.forEach(visit);
    else out.push(f);
  };
  fields.forEach(visit);
  return out;
}

/**
 * A field made with all its keys at once, in the order the tree lists them;
 * those it lacks are undefined, which JSON leaves out as if they were absent.
 * Every field so has one shape, and V8 keeps its keys in the object itself: a
 * field grown key by key needs a second object to hold them, and a run keeps
 * tens of thousands of fields, each of which the collector copies.
 */
export function newField(a: FieldWords, start: number, end: number, children?: Field[]): Field {
  return {
    name: a.name,
    value: a.value,
    note: a.note,
    spec: a.spec,
    layer: a.layer,
    start,
    end,
    children,
  };
}

/** Gives a field the words known only once its bytes are written or read (a group's closer). */
export function relabel(field: Field, a: FieldWords): void {
  field.name = a.name;
  if (a.value !== undefined) field.value = a.value;
  if (a.note) field.note = a.note;
  if (a.spec) field.spec = a.spec;
  if (a.layer) field.layer = a.layer;
}

/** Moves every range in a tree by `delta` bytes (a layer's tree placed inside an outer packet). */
export function shiftFields(fields: readonly Field[], delta: number): Field[] {
  return fields.map((f) =>
    newField(f, f.start + delta, f.end + delta, f.children ? shiftFields(f.children, delta) : undefined),
  );
}

/**
 * Turns `RFC 8446 §4.1.2` (or `RFC 3711 Appendix B.2`) into a link to the RFC Editor's page.
 * Returns undefined for references that are not RFCs.
 */
export function specUrl(spec: string): string | undefined {
  const m = /^RFC\s*(\d+)(?:\s*(?:§|section\s*)([\d.]+)|\s*Appendix\s*([A-Z](?:\.[\d.]+)?))?/i.exec(spec);
  if (!m) return undefined;
  const base = `https://www.rfc-editor.org/rfc/rfc${m[1]}`;
  if (m[2]) return `${base}#section-${m[2].replace(/\.$/, '')}`;
  if (m[3]) return `${base}#appendix-${m[3]}`;
  return base;
}
