/**
 * `trunklab analyze` reads a capture without building the field trees the
 * lab shows (no observer: TLS records and SIP messages read for the
 * diagnosis only). Whatever is left out, the diagnosis must be the one the
 * lab gets with every byte explained: the same report for captures that
 * cover TLS 1.3 and 1.2, alerts with the certificates they are about, a
 * handshake with no ServerHello, a record that does not open, SIP over UDP,
 * and TLS without its key log; and, record by record, the same labels,
 * alerts, keys and session state from the passive TLS reader either way.
 */
import { describe, expect, it } from 'vitest';
import { exportRun, type Timeline } from '../../sim/index';
import { CaptureAnalysis, type CaptureObserver } from '../../sim/capture/capture-analysis';
import { openCapture } from '../../sim/capture/open-capture';
import { KeyLogSecrets } from '../../sim/capture/key-log-secrets';
import { PassiveTlsSession, type TlsRecordUnit, type TlsSender } from '../../sim/capture/tls-session';
import { run } from '../scenarios/runs';

const SCENARIOS = [
  'secure-call',
  'secure-call-tls12',
  'mitm-self-signed',
  'tls-version-mismatch',
  'tls-record-tamper',
  'options-keepalive',
];

/** The report of a capture read with no observer, fed in small chunks as the command's reads may cut it. */
function analyzed(bytes: Uint8Array, keyLog?: string) {
  const a = new CaptureAnalysis({ keyLog });
  for (let at = 0; at < bytes.length; at += 1500) a.push(bytes.subarray(at, at + 1500));
  return a.end();
}

/** Each TLS connection's in-order bytes, per side, in the order they arrived. */
function tlsStreams(bytes: Uint8Array): Array<Array<{ side: TlsSender; bytes: Uint8Array }>> {
  const streams = new Map<unknown, Array<{ side: TlsSender; bytes: Uint8Array }>>();
  const ignore = () => undefined;
  const observer: CaptureObserver = {
    packet: ignore,
    segment: ignore,
    units: ignore,
    sipDatagram: ignore,
    media: ignore,
    end: ignore,
    chunk(_packet, connection, side, chunk, content) {
      if (content !== 'tls') return;
      if (!streams.has(connection)) streams.set(connection, []);
      streams.get(connection)!.push({ side, bytes: chunk.slice() });
    },
  };
  const a = new CaptureAnalysis({ observer });
  a.push(bytes);
  a.end();
  return [...streams.values()];
}

/** What a record tells the diagnosis, fields and layers aside. */
function diagnosable(u: TlsRecordUnit) {
  return {
    sender: u.sender,
    start: u.start,
    end: u.end,
    labels: u.labels,
    encrypted: u.encrypted,
    readable: u.readable,
    problem: u.problem,
    alert: u.alert,
    contentType: u.contentType,
    messages: u.messages,
    keys: u.keys,
  };
}

function session(s: PassiveTlsSession) {
  return {
    version: s.version,
    suite: s.suite?.name,
    serverName: s.serverName,
    problem: s.problem,
    finished: s.finished,
    certificates: s.certificates,
    alerts: s.alerts,
    records: s.records,
    opened: s.opened,
    retried: s.helloRetried,
  };
}

describe('a capture read for the diagnosis only, or with every byte explained', () => {
  for (const id of SCENARIOS) {
    it(`${id}: the same report, and the same TLS records read either way`, async () => {
      const sim: Timeline = await run(id, { audioMs: 400 });
      const bytes = exportRun(sim, 'pcapng').bytes;
      const { report } = openCapture(bytes, { name: `${id}.pcapng` });
      expect(analyzed(bytes)).toEqual(report);

      const secrets = new KeyLogSecrets();
      if (sim.keyLog) secrets.add(sim.keyLog, 'the key log');
      const streams = tlsStreams(bytes);
      expect(streams.length > 0).toBe(report.tls.length > 0);
      for (const stream of streams) {
        const read = (explain: boolean) => {
          const labels = (sender: TlsSender) => ({
            fields: [],
            labels: [`application data from ${sender}`],
            layers: [],
          });
          const s = new PassiveTlsSession(secrets, labels, explain);
          const units = stream.flatMap((c) => s.push(c.side, c.bytes));
          return { units: units.map(diagnosable), session: session(s), fields: units.map((u) => u.fields.length) };
        };
        const explained = read(true);
        const lean = read(false);
        expect(lean.units).toEqual(explained.units);
        expect(lean.session).toEqual(explained.session);
        // Nothing was built that nobody reads.
        expect(lean.fields.every((n) => n === 0)).toBe(true);
        expect(explained.fields.every((n) => n > 0)).toBe(true);
      }
    });
  }

  it('TLS whose key log is not given: the same report, records said not to open', async () => {
    const sim = await run('secure-call', { audioMs: 400 });
    const withSecrets = exportRun(sim, 'pcapng').bytes;
    // The same packets in a capture without its Decryption Secrets Block: re-read the Timeline's steps.
    const { timeline } = openCapture(withSecrets, { name: 'call.pcapng' });
    const bare = exportRun({ ...timeline, keyLog: undefined }, 'pcapng').bytes;
    const { report } = openCapture(bare, { name: 'bare.pcapng' });
    expect(report.tls[0].problem).toMatch(/no key log line for client_random/);
    expect(analyzed(bare)).toEqual(report);
  });
});
