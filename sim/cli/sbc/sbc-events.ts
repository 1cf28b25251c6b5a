/**
 * What `trunklab sbc` reports, one event per line as it happens: a line of
 * text for a person at the console, or (with --json) one JSON object per
 * line for a script. A failure is reported as the lab reports a run's
 * outcome — the stage, the reason in the field's own words (a TLS alert
 * name, a SIP status code, an SRTP verdict), the detail — and names the
 * scenario of the lab that shows the same failure step by step.
 */
import type { Stage } from '../../timeline';
import type { CertificateVerdict } from '../../tls/output';

export type SbcEvent =
  | {
      event: 'listening';
      address: string;
      port: number;
      certificateNames: string[];
      auth: string;
      record: string | null;
    }
  | { event: 'connection'; peer: string }
  | { event: 'refused'; peer: string; detail: string }
  | {
      event: 'handshake';
      peer: string;
      version: string;
      cipherSuite: string;
      keyExchange: string;
      clientCertificate: string | null;
    }
  | ({ event: 'certificate'; peer: string } & CertificateVerdict)
  | { event: 'failure'; peer: string; stage: Stage; reason: string; detail: string; scenario: string | null }
  | { event: 'sip'; peer: string; direction: 'in' | 'out'; summary: string; callId: string | null }
  | { event: 'register'; peer: string; user: string | null; status: number; detail: string }
  | { event: 'call'; peer: string; callId: string; state: 'answered' | 'up' | 'updated' | 'ended'; detail: string }
  | {
      event: 'media';
      callId: string;
      protocol: 'SRTP' | 'RTP';
      /** Packets in the last second. */
      sentPerSecond: number;
      receivedPerSecond: number;
      /** Totals since the call began. */
      sent: number;
      received: number;
      decrypted: number;
      authFailures: number;
      replays: number;
    }
  | { event: 'bye'; peer: string; callId: string; from: 'pbx' | 'sbc' }
  | { event: 'closed'; peer: string; detail: string }
  | { event: 'recorded'; file: string; keyLog: string; detail: string }
  | { event: 'stopped'; detail: string };

/** The event as one JSON line, stamped with the time. */
export function eventJson(e: SbcEvent, at: number): string {
  return JSON.stringify({ time: new Date(at).toISOString(), ...e }) + '\n';
}

/** The event as text: time, who, what; a failed certificate check adds its steps, one line each. */
export function eventText(e: SbcEvent, at: number): string {
  const time = new Date(at).toISOString().slice(11, 23);
  const who = 'peer' in e ? e.peer : 'callId' in e ? `call ${e.callId}` : 'sbc';
  const lines = [`${time}  ${who}  ${describe(e)}`];
  if (e.event === 'certificate' && !e.valid) {
    for (const s of e.trace)
      lines.push(`${' '.repeat(time.length)}    ${s.result === 'pass' ? '✓' : '✗'} ${s.check}: ${s.detail}`);
  }
  return lines.join('\n') + '\n';
}

function describe(e: SbcEvent): string {
  switch (e.event) {
    case 'listening':
      return `listening on ${e.address}:${e.port} (SIP over TLS, mutual); certificate for ${e.certificateNames.join(', ')}; ${e.auth}${e.record ? `; recording into ${e.record}` : ''}`;
    case 'connection':
      return 'TCP connection';
    case 'refused':
      return `refused: ${e.detail}`;
    case 'handshake':
      return `TLS ${e.version} with ${e.cipherSuite} (${e.keyExchange}); client certificate ${e.clientCertificate ?? 'none'}`;
    case 'certificate':
      return `client certificate ${e.valid ? 'valid' : `refused (${e.reason})`}: ${e.detail}`;
    case 'failure':
      return `✗ failed at ${e.stage} (${e.reason}) — ${e.detail}${e.scenario ? ` [in the lab: trunklab run ${e.scenario}]` : ''}`;
    case 'sip':
      return `${e.direction === 'in' ? '←' : '→'} ${e.summary}`;
    case 'register':
      return `REGISTER${e.user ? ` ${e.user}` : ''}: ${e.status} — ${e.detail}`;
    case 'call':
      return `call ${e.callId}: ${e.state} — ${e.detail}`;
    case 'media':
      return `${e.protocol} ${e.sentPerSecond}/s sent, ${e.receivedPerSecond}/s received; in all ${e.sent} sent, ${e.received} received, ${e.decrypted} ${e.protocol === 'SRTP' ? 'decrypted' : 'read'}, ${e.authFailures} authentication failures, ${e.replays} replays`;
    case 'bye':
      return `BYE from the ${e.from === 'pbx' ? 'PBX' : 'SBC'} for call ${e.callId}`;
    case 'closed':
      return `connection closed: ${e.detail}`;
    case 'recorded':
      return `recorded ${e.detail} in ${e.file} (TLS secrets inside; key log ${e.keyLog})`;
    case 'stopped':
      return `stopped: ${e.detail}`;
  }
}
