/**
 * A run as a mermaid `sequenceDiagram` (mermaid 11), for articles and
 * tickets: one lifeline each for the PBX, the attacker and the SBC, one
 * arrow per step, and the outcome at the end.
 *
 * - A run of media packets (RTP, SRTP, RTCP, SRTCP) becomes one arrow per
 *   direction and protocol, `SRTP ×250`; repeats of the same step (`TCP ACK`)
 *   become one arrow with a count. A step that carries a failure is never
 *   folded into others.
 * - Transport-only steps (TCP) are dotted; failures end in a cross (`-x`)
 *   and get a note naming the failure.
 * - Text is escaped with mermaid's entity codes (`#59;` for `;`, `#35;` for
 *   `#`), so a SIP header or an alert reason cannot break the diagram.
 */
import type { Party, Step, Timeline } from '../timeline';

const NAMES: Record<Party, string> = { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' };
const MEDIA = new Set(['RTP', 'SRTP', 'RTCP', 'SRTCP']);

export interface MermaidOptions {
  /** Title shown above the diagram. */
  title?: string;
  /** Show the attacker's lifeline even when no step involves it (default true: the ladder always has three). */
  alwaysShowAttacker?: boolean;
  /** After each step the attacker reads in full without being an endpoint, a note saying so. */
  attackerNotes?: boolean;
}

/** Escapes text for a mermaid message or note (mermaid entity codes: `#<decimal>;`). */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[#;<>%]/g, (c) => `#${c.charCodeAt(0)};`)
    .trim();
}

interface Arrow {
  from: Party;
  to: Party;
  label: string;
  count: number;
  dotted: boolean;
  failure?: string;
  /** Sentence for an attacker note, when asked for. */
  attacker?: string;
}

function label(s: Step): string {
  // Media packets are told apart by protocol only, so they fold; a failing one keeps its own words.
  if (MEDIA.has(s.protocol) && !s.failure) return s.protocol;
  return s.protocol === 'TCP' || s.summary.startsWith(s.protocol) ? s.summary : `${s.protocol} ${s.summary}`;
}

/** Steps folded into arrows, in order. */
function arrows(steps: readonly Step[], attackerNotes: boolean): Arrow[] {
  const out: Arrow[] = [];
  let mediaRun: Arrow[] = [];
  const endMediaRun = () => {
    out.push(...mediaRun);
    mediaRun = [];
  };
  for (const s of steps) {
    const text = label(s);
    const attacker =
      attackerNotes && s.from !== 'attacker' && s.to !== 'attacker' && s.views.attacker.access === 'all'
        ? s.views.attacker.summary
        : undefined;
    if (MEDIA.has(s.protocol) && !s.failure) {
      const same = mediaRun.find((a) => a.from === s.from && a.to === s.to && a.label === text);
      if (same) same.count++;
      else mediaRun.push({ from: s.from, to: s.to, label: text, count: 1, dotted: false, attacker });
      continue;
    }
    endMediaRun();
    const last = out[out.length - 1];
    if (
      last &&
      !s.failure &&
      !last.failure &&
      !attacker &&
      !last.attacker &&
      last.from === s.from &&
      last.to === s.to &&
      last.label === text
    ) {
      last.count++;
      continue;
    }
    out.push({
      from: s.from,
      to: s.to,
      label: text,
      count: 1,
      dotted: s.protocol === 'TCP',
      ...(s.failure ? { failure: s.failure } : {}),
      ...(attacker ? { attacker } : {}),
    });
  }
  endMediaRun();
  return out;
}

export function mermaidSequence(t: Timeline, options: MermaidOptions = {}): string {
  const lines: string[] = ['sequenceDiagram'];
  if (options.title) lines.push(`  title ${mermaidText(options.title)}`);
  const involved = new Set<Party>(['pbx', 'sbc']);
  for (const s of t.steps) involved.add(s.from).add(s.to);
  if (options.alwaysShowAttacker ?? true) involved.add('attacker');
  for (const p of ['pbx', 'attacker', 'sbc'] as const) {
    if (involved.has(p)) lines.push(`  participant ${NAMES[p]}`);
  }
  for (const a of arrows(t.steps, options.attackerNotes ?? false)) {
    const arrow = a.failure ? (a.dotted ? '--x' : '-x') : a.dotted ? '-->>' : '->>';
    const text = a.count > 1 ? `${a.label} ×${a.count}` : a.label;
    lines.push(`  ${NAMES[a.from]}${arrow}${NAMES[a.to]}: ${mermaidText(text)}`);
    if (a.failure) lines.push(`  Note over ${NAMES[a.to]}: ${mermaidText(`✗ ${a.failure}`)}`);
    if (a.attacker) lines.push(`  Note over Attacker: ${mermaidText(`reads: ${a.attacker}`)}`);
  }
  const o = t.outcome;
  const verdict = o.ok ? `✓ ${o.summary}` : `✗ failed at ${o.stage} (${o.reason}): ${o.summary}`;
  lines.push(`  Note over PBX,SBC: ${mermaidText(verdict)}`);
  return lines.join('\n') + '\n';
}
