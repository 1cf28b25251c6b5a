/**
 * Which of the lab's scenarios shows, step by step, a failure a real PBX met
 * at the test SBC (`trunklab run ID`), so that a failed rehearsal leads
 * straight to the explanation. Keyed by what the SBC saw: the TLS alert and
 * who sent it, the SIP status, the SDP negotiation's failure.
 */
import type { NegotiationFailure } from '../../sip/offer-answer';

/** A TLS alert the SBC sent (refusing the PBX) or received (the PBX refusing the SBC). */
export function scenarioForAlert(alert: string, sentBySbc: boolean, detail: string): string | null {
  if (sentBySbc) {
    if (alert === 'unknown_ca') return 'client-cert-wrong-ca';
    if (alert === 'certificate_required' || (alert === 'handshake_failure' && /no certificate/.test(detail)))
      return 'no-client-cert';
    if (alert === 'protocol_version') return 'tls-version-mismatch';
    if (alert === 'handshake_failure' && /cipher suite/.test(detail)) return 'cipher-mismatch';
    return null;
  }
  if (alert === 'unknown_ca') return 'wrong-root-installed';
  if (alert === 'certificate_expired') return 'pbx-clock-skew';
  return null;
}

/** A SIP failure the SBC answered. */
export function scenarioForStatus(status: number, failure?: NegotiationFailure): string | null {
  if (status === 403) return 'digest-wrong-password';
  if (status === 488 && failure === 'srtp_required') return 'srtp-required-rtp-offered';
  if (status === 488 && (failure === 'no_common_suite' || failure === 'malformed_crypto')) return 'srtp-suite-mismatch';
  return null;
}
