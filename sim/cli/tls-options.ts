/**
 * Options that `trunklab tls-connect` and `tls-serve` share: reading the
 * certificate, key and CA files, the --tls version, and the summary of a
 * connection printed as text or JSON.
 */
import { keyMatchesCertificate, parseCertificatesPem, parsePrivateKeyPem } from '../pki/keys';
import type { TlsCredentials } from '../tls/config';
import type { TlsVersion } from '../tls/codepoints';
import type { TlsEndpoint } from '../tls/endpoint';
import type { CertificateVerdict, TlsOutput } from '../tls/output';
import { UsageError } from './io';
import { INPUT_LIMIT, readInputText } from './input-file';

export function readText(command: string, option: string, path: string): string {
  return readInputText(command, path, INPUT_LIMIT.pem, `${option} file "${path}"`);
}

export function versionsOption(command: string, text: string | undefined): TlsVersion[] {
  if (text === undefined) return ['1.3', '1.2'];
  if (text === '1.2' || text === '1.3') return [text];
  throw new UsageError(`${command}: --tls must be 1.2 or 1.3, got "${text}"`);
}

export function credentialsOption(
  command: string,
  cert: string | undefined,
  key: string | undefined,
): TlsCredentials | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError(`${command}: --cert and --key go together`);
  const chain = parseCertificatesPem(readText(command, '--cert', cert));
  const privateKey = parsePrivateKeyPem(readText(command, '--key', key));
  // A key that is not the certificate's would fail every handshake at CertificateVerify: say so before starting.
  if (!keyMatchesCertificate(privateKey, chain[0])) {
    throw new UsageError(
      `${command}: the key in ${key} does not belong to the certificate in ${cert} (its public key is not the certificate's)`,
    );
  }
  return { chain, privateKey };
}

export function anchorsOption(command: string, ca: string | undefined): Uint8Array[] {
  return ca === undefined ? [] : parseCertificatesPem(readText(command, '--ca', ca));
}

/** What happened on one connection, as the JSON and the text output say it. */
export interface ConnectionReport {
  ok: boolean;
  version: string | null;
  cipherSuite: string | null;
  keyExchange: string | null;
  signatureScheme: string | null;
  serverName: string | null;
  /** The client sent a certificate (the client's report), or the server received one (the server's). */
  clientCertificateSent: boolean;
  /**
   * The server accepted the client's certificate: it verified it (the server's report), or — on the
   * client — the server's Finished came and no alert from the server followed.
   */
  clientCertificateAccepted: boolean;
  certificateCheck: CertificateVerdict | null;
  /** The alert that ended the handshake, by name (`unknown_ca`), or null. */
  alert: string | null;
  alertCode: number | null;
  /** Which side sent the alert. */
  alertFrom: 'us' | 'peer' | null;
  alertReason: string | null;
  records: Array<{ direction: string; summary: string; bytes: number; encrypted: boolean }>;
  error: string | null;
}

export function connectionReport(
  endpoint: TlsEndpoint,
  outputs: readonly TlsOutput[],
  error?: string,
): ConnectionReport {
  const s = endpoint.session;
  const peerAlert = endpoint.receivedAlert?.name !== 'close_notify' ? endpoint.receivedAlert : undefined;
  const ourAlert = endpoint.sentAlert?.name !== 'close_notify' ? endpoint.sentAlert : undefined;
  const alert = peerAlert
    ? { a: peerAlert, from: 'peer' as const }
    : ourAlert
      ? { a: ourAlert, from: 'us' as const }
      : undefined;
  const events = outputs.flatMap((o) => o.events);
  const check = events.find((e) => e.kind === 'certificate-check');
  const records = outputs
    .flatMap((o) => o.records)
    .map((r) => ({ direction: r.direction, summary: r.summary, bytes: r.bytes.length, encrypted: r.encrypted }));
  return {
    ok: !!s && !alert && !error,
    version: s ? `TLS ${s.version}` : null,
    cipherSuite: s?.cipherSuite ?? null,
    keyExchange: s?.keyExchange ?? null,
    signatureScheme: s?.signatureScheme ?? null,
    serverName: s?.serverName ?? null,
    clientCertificateSent: endpoint.clientCertificateSent,
    // A TLS 1.3 server judges the client's certificate after its own Finished (RFC 8446 §4.4.2.4): its alert is the refusal.
    clientCertificateAccepted: !!s?.clientAuthenticated && !(endpoint.role === 'client' && peerAlert),
    certificateCheck:
      check && check.kind === 'certificate-check'
        ? {
            subject: check.subject,
            valid: check.valid,
            reason: check.reason,
            detail: check.detail,
            trace: check.trace,
            at: check.at,
          }
        : null,
    alert: alert?.a.name ?? null,
    alertCode: alert?.a.code ?? null,
    alertFrom: alert?.from ?? null,
    alertReason: alert?.a.reason ?? null,
    records,
    error: error ?? null,
  };
}

/** The report as lines of text for a person. */
export function formatReport(r: ConnectionReport, peer: string): string[] {
  const lines: string[] = [];
  if (r.ok) {
    lines.push(
      `${r.version} with ${r.cipherSuite} (key exchange ${r.keyExchange}${r.signatureScheme ? `, signed with ${r.signatureScheme}` : ''})`,
    );
  }
  if (r.ok || r.clientCertificateSent) lines.push(`client certificate: ${clientCertificateVerdict(r)}`);
  if (r.certificateCheck)
    lines.push(
      `${peer} certificate: ${r.certificateCheck.valid ? 'valid' : r.certificateCheck.reason} — ${r.certificateCheck.detail}`,
    );
  if (r.alert)
    lines.push(
      `handshake failed: alert ${r.alert} (${r.alertCode}) ${r.alertFrom === 'us' ? 'sent' : 'received'} — ${r.alertReason}`,
    );
  if (r.error) lines.push(`connection failed: ${r.error}`);
  return lines;
}

function clientCertificateVerdict(r: ConnectionReport): string {
  if (!r.clientCertificateSent) return 'none';
  if (r.clientCertificateAccepted) return 'sent and accepted';
  return r.alert ? `sent, not accepted (alert ${r.alert})` : 'sent, not accepted';
}
