/**
 * The lab's own exports, opened as captures: every scenario's pcapng (with
 * the TLS secrets it embeds in a Decryption Secrets Block) read back gives
 * the same packets, the same ladder (protocol and label of each step), the
 * same outcome stage and reason as the simulated run, and every byte of
 * every packet explained. Calls talk for 0.4 s, except in the scenarios
 * whose attack comes later in the call.
 */
import { describe, expect, it } from 'vitest';
import { exportRun, listScenarios, type Timeline } from '../../sim/index';
import { openCapture } from '../../sim/capture/open-capture';
import { checkCoverage } from '../../sim/wire/coverage';
import { fromHex } from '../../sim/wire/bytes';
import { timelineCapture } from '../../sim/export/timeline-capture';
import { run } from '../scenarios/runs';

/** Scenarios whose attacker acts a few seconds into the call. */
const LATE_ATTACKS = new Set(['srtp-tamper', 'srtp-replay']);

function simulated(id: string): Promise<Timeline> {
  return run(id, LATE_ATTACKS.has(id) ? {} : { audioMs: 400 });
}

describe('a scenario’s pcapng opened as a capture', () => {
  for (const { id } of listScenarios()) {
    it(`${id}: same packets, ladder and outcome, every byte explained`, async () => {
      const sim = await simulated(id);
      const { timeline, report } = openCapture(exportRun(sim, 'pcapng').bytes, { name: `${id}.pcapng` });
      expect(timeline.steps.map((s) => s.bytes)).toEqual(sim.steps.map((s) => s.bytes));
      expect(timeline.steps.map((s) => `${s.protocol} ${s.summary}`)).toEqual(
        sim.steps.map((s) => `${s.protocol} ${s.summary}`),
      );
      expect({ stage: timeline.outcome.stage, reason: timeline.outcome.reason, ok: timeline.outcome.ok }).toEqual({
        stage: sim.outcome.stage,
        reason: sim.outcome.reason,
        ok: sim.outcome.ok,
      });
      for (const s of timeline.steps) {
        const coverage = checkCoverage(fromHex(s.bytes).length, s.fields);
        expect({ packet: s.packet, ...coverage }).toEqual({ packet: s.packet, unexplained: [], misplaced: [] });
      }
      // The failure names a packet the simulated run marked as carrying a failure, when it marked one.
      const marked = sim.steps.filter((s) => s.failure).map((s) => s.index + 1);
      if (report.failure && marked.length > 0 && report.failure.reason !== 'one_way_audio') {
        expect(marked).toContain(report.failure.packet);
      }
    });
  }
});

describe('the same capture without its secrets', () => {
  it('says what stays hidden and why, and does not claim the call worked', async () => {
    const sim = await simulated('secure-call');
    const { timeline, report } = openCapture(timelineCapture(sim), { name: 'secure-call.pcapng' });
    expect(report.failure).toBeNull();
    expect(timeline.outcome).toMatchObject({ ok: false, stage: 'tls', reason: 'not_decrypted' });
    expect(report.tls[0].problem).toMatch(/^no key log line for client_random [0-9a-f]{16}…$/);
    expect(report.media.every((m) => m.decrypted === 0 && /inside TLS that was not decrypted/.test(m.problem!))).toBe(
      true,
    );
    // Every byte is still explained; the endpoints' views say why the lab cannot show inside.
    const record = timeline.steps.find((s) => s.protocol === 'TLS' && s.summary === 'Encrypted record')!;
    expect(record.views.sbc.summary).toMatch(/key log does not hold/);
    expect(checkCoverage(fromHex(record.bytes).length, record.fields).unexplained).toEqual([]);
  });
});
