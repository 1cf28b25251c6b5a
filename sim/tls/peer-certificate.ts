/**
 * Checking the certificate chain the peer sent, at this endpoint's clock
 * time, and turning the verdict into the alert TLS sends (RFC 8446 §6.2,
 * RFC 5246 §7.2.2):
 *
 * - unknown_issuer, self_signed → unknown_ca: no path to a trusted CA.
 * - expired, not_yet_valid → certificate_expired (which covers both).
 * - revoked → certificate_revoked.
 * - bad_signature, name_mismatch, not_a_ca, bad_key_usage → bad_certificate.
 * - a certificate that cannot even be parsed → bad_certificate.
 */
import { isParseError } from '../wire/parse-error';
import { validateChain, type CertificateReason } from '../pki/validate';
import { makeAlert, type AlertName, type TlsAlert } from './alert';
import type { TlsConfig } from './config';
import type { CertificateVerdict } from './output';

const ALERT_FOR_REASON: Record<Exclude<CertificateReason, 'ok'>, AlertName> = {
  unknown_issuer: 'unknown_ca',
  self_signed: 'unknown_ca',
  expired: 'certificate_expired',
  not_yet_valid: 'certificate_expired',
  revoked: 'certificate_revoked',
  bad_signature: 'bad_certificate',
  name_mismatch: 'bad_certificate',
  not_a_ca: 'bad_certificate',
  bad_key_usage: 'bad_certificate',
};

export function alertForCertificateReason(reason: string): AlertName {
  return ALERT_FOR_REASON[reason as Exclude<CertificateReason, 'ok'>] ?? 'bad_certificate';
}

export interface PeerChainCheck {
  verdict: CertificateVerdict;
  /** Set when the chain is refused. */
  alert?: TlsAlert;
}

export async function checkPeerChain(
  chain: Uint8Array[],
  config: TlsConfig,
  purpose: 'server' | 'client',
  host: string | undefined,
): Promise<PeerChainCheck> {
  const presenter = config.names?.peer ?? purpose;
  const verifier = config.names?.self ?? (purpose === 'server' ? 'client' : 'server');
  const now = config.clock.now();
  const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  try {
    const result = await validateChain(chain, {
      anchors: config.trustAnchors,
      at: now,
      host: purpose === 'server' ? host : undefined,
      purpose,
      names: { presenter, verifier },
      ...(config.crls?.length ? { crls: config.crls } : {}),
    });
    const verdict: CertificateVerdict = {
      subject: presenter,
      valid: result.valid,
      reason: result.reason,
      detail: result.detail,
      trace: result.trace,
      at,
    };
    if (result.valid) return { verdict };
    return { verdict, alert: makeAlert(alertForCertificateReason(result.reason), result.detail) };
  } catch (e) {
    if (!isParseError(e)) throw e;
    const detail = `the ${presenter}'s certificate could not be read: ${e.message}`;
    return {
      verdict: {
        subject: presenter,
        valid: false,
        reason: 'bad_certificate',
        detail,
        trace: [{ check: 'parse', result: 'fail', detail }],
        at,
      },
      alert: makeAlert('bad_certificate', detail),
    };
  }
}
