/**
 * Revocation (RFC 5280 §5, §6.3): after the key of the PBX's certificate
 * leaked, the carrier's issuing CA revoked the certificate and lists its
 * serial number on its CRL. The PBX still presents it; the SBC checks client
 * certificates against the CA's current CRL and refuses it with
 * certificate_revoked (RFC 8446 §6.2).
 */
import type { ScenarioDefinition } from '../scenario';
import { secureTrunk } from '../setup';
import { troubleshooting } from '../article-links';
import { freeswitchGateway, freeswitchLog } from '../../training/pbx-lines';

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
    training: {
      level: 'advanced',
      ticket: () =>
        'Our IT security team told us last week that a server backup had leaked and asked the carrier to act on it. Since this morning the trunk is down.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('FAIL_WAIT', 'DOWN'),
        log: () =>
          freeswitchLog('ERR', 'tport_tls.c:1152', 'tls_connect() TLS setup failed: sslv3 alert certificate revoked'),
      },
      proof: { from: 'sbc', summary: 'Alert', which: 'first' },
      causes: [
        'pbx-certificate-revoked',
        'client-certificate-wrong-ca',
        'no-client-certificate',
        'sbc-certificate-expired',
        'wrong-root',
      ],
      fixes: [
        'new-key-and-csr',
        'use-carrier-signed-certificate',
        'configure-client-certificate',
        'turn-off-verification',
      ],
      hint: 'Which side sends the alert, and what does the SBC’s certificate check say about the PBX’s certificate’s serial number?',
    },
    setup: secureTrunk({ pbx: { tls: { certificate: 'revoked' } }, sbc: { checksCrl: true } }),
    remedies: [
      {
        cause: () =>
          'The carrier’s CA revoked the PBX’s certificate (after a key leak, or because the certificate was replaced), and the SBC checks the CA’s revocation list. The PBX still presents the old certificate.',
        fix: () =>
          'Make a new key and CSR, and install the new certificate. A new certificate for the old key, or the old certificate again, will not do.',
        article: troubleshooting('revoked-client-certificate', 'Revoked client certificate'),
      },
    ],
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
