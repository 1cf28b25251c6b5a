/**
 * The certificate checks that can fail a trunk's handshake, the TLS alert
 * each failure sends (RFC 8446 §6.2; the engine maps its path-validation
 * reasons to alerts in sim/tls/peer-certificate.ts), and the scenario that
 * reproduces it. The alert named here must be the one the catalogue expects
 * the scenario to end with: the table's component and tests/content check.
 * Beside it, the alert OpenSSL 3 sends in the same case, which
 * tests/content/certificate-alerts.test.ts finds by running OpenSSL: where
 * RFC 8446 §6.2 leaves a choice, the two differ.
 */
export interface CertificateFailure {
  check: string;
  alert: string;
  /** The alert OpenSSL 3 sends for the same failure. */
  openssl: string;
  scenario: string;
  /** How the lab link reads. */
  label: string;
}

export const CERTIFICATE_FAILURES: readonly CertificateFailure[] = [
  {
    check: 'No path to the installed root',
    alert: 'unknown_ca',
    openssl: 'unknown_ca',
    scenario: 'wrong-root-installed',
    label: 'wrong root installed',
  },
  {
    check: 'Self-signed certificate from an impostor',
    alert: 'unknown_ca',
    openssl: 'unknown_ca',
    scenario: 'mitm-self-signed',
    label: 'self-signed man in the middle',
  },
  {
    check: 'Issuing CA certificate not sent',
    alert: 'unknown_ca',
    openssl: 'unknown_ca',
    scenario: 'missing-intermediate',
    label: 'missing intermediate',
  },
  {
    check: 'Certificate expired',
    alert: 'certificate_expired',
    openssl: 'certificate_expired',
    scenario: 'expired-sbc-cert',
    label: 'expired SBC certificate',
  },
  {
    check: 'Checker’s clock is wrong',
    alert: 'certificate_expired',
    openssl: 'bad_certificate',
    scenario: 'pbx-clock-skew',
    label: 'PBX clock skew',
  },
  {
    check: 'Name does not match',
    alert: 'bad_certificate',
    openssl: 'bad_certificate',
    scenario: 'mitm-wrong-name',
    label: 'wrong name',
  },
  {
    check: 'PBX sent no certificate (TLS 1.3)',
    alert: 'certificate_required',
    openssl: 'certificate_required',
    scenario: 'no-client-cert',
    label: 'no client certificate',
  },
  {
    check: 'PBX certificate from another CA',
    alert: 'unknown_ca',
    openssl: 'unknown_ca',
    scenario: 'client-cert-wrong-ca',
    label: 'client certificate from the wrong CA',
  },
];
