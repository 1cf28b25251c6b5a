/**
 * tls/: TLS 1.3 and TLS 1.2 with mutual authentication, sans-IO. What the
 * scenario runner, the attacker and the `trunklab` command use.
 */
export { TlsClient } from './client';
export { TlsServer } from './server';
export type { TlsEndpoint } from './endpoint';
export { applicationData } from './endpoint';
export { tlsConfig, DEFAULT_TLS12_SUITES, DEFAULT_TLS13_SUITES, type TlsConfig, type TlsCredentials } from './config';
export {
  toStateEvent,
  type TlsOutput,
  type TlsEvent,
  type TlsRecordView,
  type NegotiatedSession,
  type EndpointState,
  type CertificateVerdict,
} from './output';
export { ALERT_CODE, makeAlert, alertMeaning, type AlertName, type TlsAlert } from './alert';
export { CIPHER_SUITES, suiteByName, forwardSecret, type CipherSuite, type CipherSuiteName } from './cipher-suites';
export type { TlsVersion, SignatureSchemeName } from './codepoints';
export { alertForCertificateReason } from './peer-certificate';
export {
  keyLogLine,
  keyLogFile,
  readKeyLog,
  writeKeyLog,
  keyLogLabel,
  type KeyLogEntry,
  type KeyLogLabel,
} from './key-log';
export { decryptRecordedSession, type RecordedConnection, type RecordedSessionResult } from './recorded-session';
