import { describe, expect, it } from 'vitest';
import mermaid from 'mermaid';
import { runScenario } from '../../sim/index';
import { mermaidSequence, mermaidText } from '../../sim/export/mermaid-sequence';
import type { Protocol, Step, Timeline } from '../../sim/timeline';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

const profile = carrier as CarrierProfile;

async function keepalive(): Promise<Timeline> {
  return runScenario('options-keepalive', { seed: 3, carrier: profile });
}

/** A step like `base` with other parties, protocol and label. */
function step(
  base: Step,
  index: number,
  from: Step['from'],
  to: Step['to'],
  protocol: Protocol,
  summary: string,
  failure?: string,
): Step {
  return { ...base, index, from, to, protocol, summary, ...(failure ? { failure } : {}) };
}

describe('mermaid sequence diagram of a run', () => {
  it('draws the three lifelines, one arrow per step and the outcome, and mermaid 11 parses it', async () => {
    const t = await keepalive();
    const text = mermaidSequence(t);
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'sequenceDiagram',
      '  participant PBX',
      '  participant Attacker',
      '  participant SBC',
    ]);
    expect(lines[4]).toBe('  PBX->>SBC: SIP OPTIONS');
    expect(lines[5]).toBe('  SBC->>PBX: SIP 200 OK');
    expect(lines[6]).toMatch(/^ {2}Note over PBX,SBC: ✓ /);
    expect(lines).toHaveLength(7);
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
  });

  it('folds media into one arrow per direction, repeats into counts, and marks failures', async () => {
    const base = (await keepalive()).steps[0];
    const steps: Step[] = [];
    const add = (...a: Parameters<typeof step> extends [Step, number, ...infer R] ? R : never) =>
      steps.push(step(base, steps.length, ...a));
    add('pbx', 'sbc', 'TCP', 'SYN');
    add('sbc', 'pbx', 'TCP', 'SYN, ACK');
    add('pbx', 'sbc', 'TCP', 'ACK');
    add('pbx', 'sbc', 'TCP', 'ACK');
    add('pbx', 'sbc', 'SIP', 'INVITE');
    for (let i = 0; i < 100; i++) add(i % 2 ? 'sbc' : 'pbx', i % 2 ? 'pbx' : 'sbc', 'SRTP', `SRTP seq ${i}`);
    add('attacker', 'sbc', 'SRTP', 'SRTP seq 7 (replayed)', 'replay; dropped #1 <again>');
    add('sbc', 'pbx', 'TLS', 'Alert', 'bad_record_mac');
    const t: Timeline = {
      scenario: 'made-up',
      seed: 1,
      live: false,
      startedAt: '2026-11-26T09:00:00Z',
      steps,
      outcome: {
        ok: false,
        stage: 'srtp',
        reason: 'replay',
        summary: 'The SBC dropped a replayed packet; then 50% loss.',
      },
    };
    const text = mermaidSequence(t, { title: 'Replay #1; the SBC notices' });
    const body = text.split('\n').slice(5);
    expect(text).toContain('  title Replay #35;1#59; the SBC notices');
    expect(body.slice(0, 8)).toEqual([
      '  PBX-->>SBC: SYN',
      '  SBC-->>PBX: SYN, ACK',
      '  PBX-->>SBC: ACK ×2',
      '  PBX->>SBC: SIP INVITE',
      '  PBX->>SBC: SRTP ×50',
      '  SBC->>PBX: SRTP ×50',
      '  Attacker-xSBC: SRTP seq 7 (replayed)',
      '  Note over SBC: ✗ replay#59; dropped #35;1 #60;again#62;',
    ]);
    expect(body[8]).toBe('  SBC-xPBX: TLS Alert');
    expect(text).toContain('failed at srtp (replay): The SBC dropped a replayed packet#59; then 50#37; loss.');
    // mermaid sanitizes titles with DOMPurify, which needs a DOM: parse the diagram without one here.
    await expect(mermaid.parse(mermaidSequence(t))).resolves.toMatchObject({ diagramType: 'sequence' });
  });

  it('is checked by a parser that does refuse broken diagrams', async () => {
    await expect(mermaid.parse('sequenceDiagram\n  PBX->>>SBC: x\n')).rejects.toThrow();
    // Unescaped, a semicolon would end the message early and the rest would not parse.
    await expect(mermaid.parse(`sequenceDiagram\n  PBX->>SBC: a; B-->>`)).rejects.toThrow();
    expect(mermaidText('a;b#c\nd')).toBe('a#59;b#35;c d');
  });

  it('notes what the attacker reads, when asked', async () => {
    const t = await keepalive();
    const text = mermaidSequence(t, { attackerNotes: true });
    expect(text).toMatch(/Note over Attacker: reads: SIP OPTIONS from the PBX in clear/);
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });
});
