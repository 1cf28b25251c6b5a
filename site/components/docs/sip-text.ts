/**
 * The text of a SIP message (with its SDP body) as an endpoint reads it at a
 * step of a run: found through the engine's own field tree, in the packet's
 * bytes when SIP travels in clear, or in the layer the PBX decrypted when it
 * travels inside TLS. Articles show it instead of a hand-typed example.
 */
import type { Field, Step } from '../../../sim/index';

function findLayer(fields: readonly Field[], layer: Field['layer']): Field | undefined {
  for (const f of fields) {
    if (f.layer === layer) return f;
    const inner = f.children && findLayer(f.children, layer);
    if (inner) return inner;
  }
  return undefined;
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The SIP message's text, or undefined when the step carries no SIP the PBX can read. */
export function sipTextAt(step: Step): string | undefined {
  const sources = [
    { bytes: step.bytes, fields: step.fields },
    ...step.views.pbx.layers.map((l) => ({ bytes: l.bytes, fields: l.fields })),
  ];
  for (const { bytes, fields } of sources) {
    const sip = findLayer(fields, 'sip');
    if (sip) return new TextDecoder().decode(hexToBytes(bytes).subarray(sip.start, sip.end));
  }
  return undefined;
}
