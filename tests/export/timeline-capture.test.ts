import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/index';
import { timelineCapture } from '../../sim/export/timeline-capture';
import { writeKeyLog } from '../../sim/tls/key-log';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { readFileSync } from 'node:fs';
import { scratchDir, tsharkFields, writeScratch } from '../net/tshark';

const profile = carrier as CarrierProfile;

describe('pcapng of a run', () => {
  it('holds every step at its virtual time, with a comment per packet, and tshark reads the SIP', async () => {
    const t = await runScenario('options-keepalive', { seed: 5, carrier: profile });
    const file = writeScratch(scratchDir(), 'run.pcapng', timelineCapture(t));
    const rows = tsharkFields(file, ['frame.time_epoch', 'sip.Method', 'sip.Status-Code', 'frame.comment']);
    expect(rows.map((r) => r.slice(1, 3))).toEqual([
      ['OPTIONS', ''],
      ['', '200'],
    ]);
    const start = Date.parse(t.startedAt) / 1000;
    expect(rows.map((r) => Number(r[0]) - start).map((s) => Math.round(s * 1e6))).toEqual(
      t.steps.map((s) => Math.round(s.time * 1000)),
    );
    expect(rows[0][3]).toBe('0. PBX → SBC: OPTIONS');
    expect(rows[1][3]).toBe('1. SBC → PBX: 200 OK');
  });

  it('embeds the TLS secrets it is given', async () => {
    const t = await runScenario('options-keepalive', { seed: 5, carrier: profile });
    const keyLog = writeKeyLog([
      { label: 'CLIENT_RANDOM', clientRandom: new Uint8Array(32).fill(1), secret: new Uint8Array(48).fill(2) },
    ]);
    const dir = scratchDir();
    const file = writeScratch(dir, 'run.pcapng', timelineCapture(t, { tlsKeyLog: keyLog }));
    tsharkFields(file, ['frame.number'], ['--export-tls-session-keys', `${dir}/keys`]);
    expect(readFileSync(`${dir}/keys`, 'utf8')).toContain(`CLIENT_RANDOM ${'01'.repeat(32)} ${'02'.repeat(48)}`);
  });
});
