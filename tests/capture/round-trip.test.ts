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

/** Scenarios whose attacker replaces media packets with altered copies. */
const TAKEN_OFF_THE_WIRE = new Set(['srtp-tamper']);

/** Each side's voice, as 20 ms packets of G.711 (160 codes). */
function voices(audio: Timeline['audio']): Array<[string, string[]]> {
  return (audio ?? [])
    .filter((a) => a.heard === 'voice' && a.party !== 'attacker')
    .map((a) => [a.party, a.payload.match(/.{1,320}/g) ?? []]);
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
      // The call plays as each side heard it: the same G.711 the simulated endpoints decrypted. Not where the
      // attacker takes packets off the wire: the export holds the original beside its altered copy, and a
      // capture cannot tell that the original never arrived.
      if (!TAKEN_OFF_THE_WIRE.has(id)) expect(voices(timeline.audio)).toEqual(voices(sim.audio));
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

describe('an SDP key that does not protect its stream', () => {
  it('names the suite offered, the packet of the SDP, and the receiver that drops every packet', async () => {
    const sim = await simulated('sdes-over-plain-sip');
    const bytes = Uint8Array.from(exportRun(sim, 'pcapng').bytes);
    // The INVITE crosses in the clear: change one character of its first a=crypto key, as a broken middlebox might.
    const at = Buffer.from(bytes).indexOf('inline:') + 'inline:'.length + 3;
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    const { report, timeline } = openCapture(bytes, { name: 'changed-key.pcapng' });
    const invite = report.sip.find((m) => m.message.startsWith('INVITE'))!;
    const broken = report.media.find((m) => m.direction === 'PBX → SBC')!;
    expect(broken).toMatchObject({
      decrypted: 0,
      packets: sim.steps.filter((s) => s.protocol === 'SRTP' && s.from === 'pbx').length,
    });
    expect(broken.problem).toBe(
      `the SDP offers AES_CM_128_HMAC_SHA1_80 or AES_CM_128_HMAC_SHA1_32 (a=crypto:1 AES_CM_128_HMAC_SHA1_80 in the INVITE (packet ${invite.packet})), but the stream's tags do not verify with any of those keys: another key, suite or MKI protects it`,
    );
    // The other way still works: the diagnosis is the SBC's, at the stream's first packet.
    expect(report.media.find((m) => m.direction === 'SBC → PBX')).toMatchObject({ decrypted: expect.any(Number) });
    const first = timeline.steps.find((s) => s.protocol === 'SRTP' && s.from === 'pbx')!;
    expect(report.failure).toMatchObject({ packet: first.packet, party: 'sbc', stage: 'srtp', reason: 'auth_failure' });
    expect(report.failure!.detail).toMatch(
      /^the SBC can authenticate none of the SRTP from [\d.:]+ \(SSRC 0x[0-9a-f]{8}, \d+ packets\) and drops it all: the SDP offers/,
    );
  });
});
