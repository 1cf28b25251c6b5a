/**
 * The ladder's rows (site/lib/ladder-rows.ts): media runs fold into one row
 * that opens, failures are never hidden inside a run, and every packet is
 * reachable.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Party, Protocol, Step } from '../../sim/index';
import { MIN_RUN, ladderRows, rowOf, runContaining } from '../../site/lib/ladder-rows';

/** A step reduced to what the ladder groups by: protocol, direction and failure. */
function step(index: number, protocol: Protocol, from: Party = 'pbx', to: Party = 'sbc', failure?: string): Step {
  const view = { access: 'all' as const, summary: '', layers: [] };
  return {
    index,
    phase: ['RTP', 'SRTP', 'RTCP', 'SRTCP'].includes(protocol) ? 'media' : 'call-setup',
    time: index * 20,
    from,
    to,
    src: '',
    dst: '',
    transport: 'udp',
    protocol,
    summary: protocol,
    bytes: '',
    fields: [],
    views: { pbx: view, attacker: view, sbc: view },
    explanation: '',
    articles: [],
    events: [],
    ...(failure ? { failure } : {}),
  };
}

const build = (protocols: Array<Protocol | [Protocol, string]>) =>
  protocols.map((p, i) =>
    Array.isArray(p) ? step(i, p[0], 'sbc', 'pbx', p[1]) : step(i, p, i % 2 ? 'sbc' : 'pbx', i % 2 ? 'pbx' : 'sbc'),
  );

describe('ladderRows', () => {
  it('folds a run of media in both directions into one row with counts', () => {
    const steps = build(['SIP', 'SRTP', 'SRTP', 'SRTCP', 'SRTP', 'SIP']);
    const rows = ladderRows(steps, new Set());
    expect(rows.map((r) => r.kind)).toEqual(['packet', 'run', 'packet']);
    const run = rows[1];
    expect(run.kind === 'run' && run.counts).toEqual([
      { protocol: 'SRTP', count: 3 },
      { protocol: 'SRTCP', count: 1 },
    ]);
    expect(run.kind === 'run' && run.parties).toEqual(['pbx', 'sbc']);
  });

  it('keeps runs shorter than MIN_RUN as packets, and a failure out of any run', () => {
    const short = build(Array<Protocol>(MIN_RUN - 1).fill('RTP'));
    expect(ladderRows(short, new Set()).every((r) => r.kind === 'packet')).toBe(true);
    const broken = build(['SRTP', 'SRTP', 'SRTP', ['SRTP', 'auth_failure'], 'SRTP', 'SRTP', 'SRTP']);
    const rows = ladderRows(broken, new Set());
    expect(rows.map((r) => r.kind)).toEqual(['run', 'packet', 'run']);
    expect(rows[1].kind === 'packet' && rows[1].step.failure).toBe('auth_failure');
  });

  it('lists every step exactly once when runs are open, and finds each one’s row', () => {
    const protocols = fc.array(fc.constantFrom<Protocol>('TCP', 'TLS', 'SIP', 'RTP', 'SRTP', 'SRTCP'), {
      maxLength: 80,
    });
    fc.assert(
      fc.property(protocols, fc.boolean(), (ps, openAll) => {
        const steps = build(ps);
        const closed = ladderRows(steps, new Set());
        const open = new Set(closed.flatMap((r) => (r.kind === 'run' ? [r.first] : [])));
        const rows = ladderRows(steps, openAll ? open : new Set());
        if (openAll) {
          const listed = rows.flatMap((r) => (r.kind === 'packet' ? [r.step.index] : []));
          expect(listed).toEqual(steps.map((s) => s.index));
        }
        for (const s of steps) {
          const at = rowOf(rows, s.index);
          expect(at).toBeGreaterThanOrEqual(0);
          const row = rows[at];
          if (row.kind === 'packet') expect(row.step.index).toBe(s.index);
          else expect(runContaining(rows, s.index)).toBe(row);
        }
      }),
    );
  });
});
