import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/index';
import { checkCoverage, fromHex, fromUtf8 } from '../../sim/wire';
import { internetChecksum } from '../../sim/net/checksum';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

const profile = carrier as CarrierProfile;

describe('options-keepalive', () => {
  it('sends OPTIONS from the PBX and 200 OK back, over UDP to port 5060', async () => {
    const t = await runScenario('options-keepalive', { seed: 7, carrier: profile });
    expect(t.outcome).toMatchObject({ ok: true, stage: 'complete', reason: 'ok' });
    expect(t.steps.map((s) => [s.from, s.to, s.protocol, s.summary])).toEqual([
      ['pbx', 'sbc', 'SIP', 'OPTIONS'],
      ['sbc', 'pbx', 'SIP', '200 OK'],
    ]);
    expect(t.steps[0].dst).toBe(`${profile.sbc.ip}:5060`);
    expect(t.steps[1].time).toBeGreaterThan(t.steps[0].time);
  });

  it('explains every byte of every packet', async () => {
    const t = await runScenario('options-keepalive', { seed: 7, carrier: profile });
    for (const step of t.steps) {
      const bytes = fromHex(step.bytes);
      expect(checkCoverage(bytes.length, step.fields), `step ${step.index}`).toEqual({
        unexplained: [],
        misplaced: [],
      });
    }
  });

  it('writes valid IPv4 and UDP checksums and a Content-Length that matches', async () => {
    const t = await runScenario('options-keepalive', { seed: 7, carrier: profile });
    for (const step of t.steps) {
      const packet = fromHex(step.bytes);
      expect(internetChecksum(packet.subarray(0, 20)), 'IPv4 header checksum').toBe(0);
      const udpLength = (packet[24] << 8) | packet[25];
      expect(udpLength).toBe(packet.length - 20);
      const pseudo = Uint8Array.of(...packet.subarray(12, 20), 0, 17, packet[24], packet[25]);
      expect(internetChecksum(pseudo, packet.subarray(20)), 'UDP checksum').toBe(0);
      const sip = fromUtf8(packet.subarray(28));
      const [head, body] = sip.split('\r\n\r\n');
      expect(head).toMatch(/^(OPTIONS sips?:|SIP\/2\.0 200 OK)/);
      expect(head).toContain(`Content-Length: ${body.length}`);
    }
  });

  it('is a pure function of the seed', async () => {
    const a = await runScenario('options-keepalive', { seed: 42, carrier: profile });
    const b = await runScenario('options-keepalive', { seed: 42, carrier: profile });
    const c = await runScenario('options-keepalive', { seed: 43, carrier: profile });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.steps[0].bytes).not.toBe(a.steps[0].bytes);
  });
});
