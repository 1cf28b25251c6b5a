/**
 * Revocation (RFC 5280 §5, §6.3): after the key of the PBX's certificate
 * leaked, the carrier's issuing CA revoked the certificate and lists its
 * serial number on its CRL. The PBX still presents it; the SBC checks client
 * certificates against the CA's current CRL and refuses it with
 * certificate_revoked (RFC 8446 §6.2).
 */
import type { ScenarioDefinition } from '../scenario';
import { secureTrunk } from '../setup';

export const CERTIFICATE_REVOCATION_SCENARIOS: ScenarioDefinition[] = [
  {
    id: 'revoked-pbx-cert',
    title: 'A revoked PBX certificate',
    summary:
      'The PBX’s private key leaked, and the carrier revoked its certificate: the issuing CA’s CRL now lists its serial number. The PBX still presents it; the SBC finds it on the CRL and ends the handshake with certificate_revoked.',
    lesson:
      'Revocation only protects where someone checks: the SBC refuses a revoked certificate because it reads the CA’s CRL. After a key leak, make a new key and CSR, install the new certificate, and only then is the trunk back.',
    article: '/docs/certificate-lifecycle/#revocation',
    expected: { ok: false, stage: 'tls', reason: 'certificate_revoked' },
    setup: secureTrunk({ pbx: { tls: { certificate: 'revoked' } }, sbc: { checksCrl: true } }),
    whatIf: [
      {
        id: 'pbxCertificate',
        label: 'PBX certificate',
        choices: [
          { value: 'revoked', label: 'The revoked one' },
          { value: 'reissued', label: 'A new one, not revoked' },
        ],
        default: 'revoked',
        effects: { reissued: { pbx: { tls: { certificate: 'carrier-issued' } } } },
      },
      {
        id: 'crl',
        label: 'SBC checks the CRL',
        choices: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No (never checks revocation)' },
        ],
        default: 'yes',
        effects: { no: { sbc: { checksCrl: false } } },
      },
    ],
  },
];
