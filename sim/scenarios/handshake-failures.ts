/**
 * Trunks that never get past TLS: certificates that do not check out, from
 * either side, versions and suites with nothing in common, TLS sent to the
 * plain SIP port — and the attacker who answers in the SBC's place.
 */
import type { CarrierProfile } from '../carrier';
import type { ScenarioDefinition, WhatIfRule } from './scenario';
import type { PbxSymptom } from './training';
import { secureTrunk } from './setup';
import { troubleshooting } from './article-links';
import { asteriskLog, asteriskRegistration, freeswitchGateway, freeswitchLog } from '../training/pbx-lines';

/** `TLS 1.3 and TLS 1.2`: the versions a carrier accepts, newest first. */
function versionsInWords(carrier: CarrierProfile): string {
  const names = [...carrier.tls.versions]
    .sort()
    .reverse()
    .map((v) => `TLS ${v}`);
  return names.length <= 1 ? (names[0] ?? 'no TLS version') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A man in the middle's failure, for both attacker scenarios that intercept. */
const NO_CHECK_LEFT = {
  when: [{ reason: 'certificate_required', decidedBy: 'sbc' as const }],
  cause: () =>
    'The PBX does not check the certificate it is shown, so it handed its TLS session to whoever answered in the SBC’s place. Only the SBC’s demand for a client certificate kept the attacker off the trunk.',
  fix: (c: CarrierProfile) =>
    `Turn certificate verification back on in the PBX’s TLS settings, with ${c.ca.rootName} as the root it trusts.`,
  article: troubleshooting(
    'self-signed-certificate-a-man-in-the-middle',
    'Self-signed certificate (a man in the middle)',
  ),
};

/** What an Asterisk PBX shows when its own check of the SBC's certificate fails, whatever the reason: OpenSSL's one line says no more. */
const ASTERISK_VERIFY_FAILED: PbxSymptom = {
  system: 'Asterisk',
  status: (c) => asteriskRegistration(c, 'Rejected'),
  log: () =>
    asteriskLog(
      'WARNING',
      'pjproject',
      'SSL SSL_ERROR_SSL (Handshake): err: <error:0A000086:SSL routines::certificate verify failed>',
    ),
};

const TLS_VERSION: WhatIfRule = {
  id: 'tls',
  label: 'TLS version',
  choices: [
    { value: '1.3', label: 'TLS 1.3' },
    { value: '1.2', label: 'TLS 1.2' },
  ],
  default: '1.3',
  effects: { '1.2': { pbx: { tls: { versions: ['1.2'] } } } },
};

const TROUBLE = '/docs/troubleshooting/';

export const HANDSHAKE_FAILURES: ScenarioDefinition[] = [
  {
    id: 'mitm-self-signed',
    title: 'A man in the middle with a self-signed certificate',
    summary:
      'An attacker on the path answers the PBX’s TLS connection itself, with a certificate for the SBC’s name that it signed itself. The PBX checks it, finds no path to the carrier’s root, and refuses.',
    lesson:
      'Checking the SBC’s certificate is what stops a man in the middle. Turn the check off and the PBX registers with whoever answers: the SBC’s demand for a client certificate still keeps the attacker off the trunk, but the attacker poses as the SBC and collects the PBX’s digest response, the numbers it dials and its SRTP keys.',
    article: '/docs/attacks/#man-in-the-middle',
    expected: { ok: false, stage: 'tls', reason: 'unknown_ca' },
    setup: secureTrunk({ attacker: { kind: 'intercept', certificate: 'self-signed' } }),
    training: {
      level: 'beginner',
      ticket: () =>
        'Since the new firewall went in this morning our phones say “no trunk” and nobody can call out. The firewall company says everything is allowed. Nothing else was changed on the phone system.',
      pbx: ASTERISK_VERIFY_FAILED,
      proof: { from: 'pbx', summary: 'Alert', which: 'first' },
      causes: ['interception', 'wrong-root', 'missing-intermediate', 'sbc-certificate-expired', 'name-mismatch'],
      fixes: ['stop-interception', 'turn-off-verification', 'install-root', 'send-chain'],
      hint: 'Open the Certificate the PBX received and read its issuer and subject: who signed it?',
    },
    whatIf: [
      {
        id: 'verify',
        label: 'PBX checks the SBC certificate',
        choices: [
          { value: 'on', label: 'Yes' },
          { value: 'off', label: 'No (accepts any certificate)' },
        ],
        default: 'on',
        effects: { off: { pbx: { tls: { verifiesServer: false } } } },
      },
      {
        id: 'clientCert',
        label: 'SBC requires a client certificate',
        choices: [
          { value: 'required', label: 'Yes' },
          { value: 'optional', label: 'No' },
        ],
        default: 'required',
        effects: { optional: { carrier: { tls: { requireClientCertificate: false } } } },
      },
    ],
    remedies: [
      {
        cause: () =>
          'Something between the PBX and the SBC answered the TLS connection itself with its own certificate: an attacker, or an intercepting firewall (“TLS inspection”) that was never meant to see SIP.',
        fix: () =>
          'Exclude the SBC’s address from TLS inspection, or find out who is intercepting. Never accept the certificate to make the trunk work.',
        article: troubleshooting(
          'self-signed-certificate-a-man-in-the-middle',
          'Self-signed certificate (a man in the middle)',
        ),
      },
      NO_CHECK_LEFT,
    ],
  },
  {
    id: 'mitm-wrong-name',
    title: 'A genuine certificate for the wrong name',
    summary:
      'The attacker answers with a certificate the carrier’s own CA really issued, but for the attacker’s host name. The chain checks out; the name does not, and the PBX refuses.',
    lesson:
      'A valid chain is not enough: the certificate must name the host the PBX dialled. The same check fails when a trunk is configured with the SBC’s IP address instead of its name.',
    article: `${TROUBLE}#name-mismatch`,
    expected: { ok: false, stage: 'tls', reason: 'bad_certificate' },
    setup: secureTrunk({ attacker: { kind: 'intercept', certificate: 'other-name' } }),
    training: {
      level: 'advanced',
      ticket: (c) =>
        `Our trunk dropped overnight. The certificate looks valid when we check it in the browser, it is from ${c.name}’s own CA. Please fix on your side.`,
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('FAIL_WAIT', 'DOWN'),
        log: () =>
          freeswitchLog(
            'ERR',
            'tport_tls.c:1152',
            'tls_connect() TLS setup failed: certificate verify failed (hostname mismatch)',
          ),
      },
      proof: { from: 'pbx', summary: 'Alert', which: 'first' },
      causes: ['name-mismatch', 'interception', 'wrong-root', 'sbc-certificate-expired', 'missing-intermediate'],
      fixes: ['dial-host-name', 'turn-off-verification', 'install-root', 'carrier-renews'],
      hint: 'In the Certificate the PBX received, compare the subjectAltName with the host name in the ClientHello’s server_name.',
    },
    remedies: [
      {
        cause: (c) =>
          `The name the PBX was told to reach is not in the SBC certificate’s subject alternative names. Most often the trunk is configured with the SBC’s IP address instead of ${c.sbc.host}; sometimes with an old host name; and in the lab, an attacker shows a genuine certificate for another name.`,
        fix: (c) => `Configure the trunk with the host name ${c.sbc.host}.`,
        article: troubleshooting('name-mismatch', 'Name mismatch'),
      },
    ],
  },
  {
    id: 'expired-sbc-cert',
    title: 'The SBC’s certificate has expired',
    summary:
      'The SBC presents a certificate whose notAfter date has passed. The PBX checks the dates against its clock and ends the handshake with certificate_expired.',
    lesson:
      'Certificates expire on a date everyone can see coming: renew before, and never switch verification off to get a trunk back up.',
    article: `${TROUBLE}#expired-sbc-certificate`,
    expected: { ok: false, stage: 'tls', reason: 'certificate_expired' },
    setup: secureTrunk({ sbc: { certificate: 'expired' } }),
    training: {
      level: 'beginner',
      ticket: () =>
        'Every site lost its trunk at the same moment today, all at once, and no one touched anything. Other customers of ours say the same.',
      pbx: ASTERISK_VERIFY_FAILED,
      proof: { from: 'pbx', summary: 'Alert', which: 'first' },
      causes: ['sbc-certificate-expired', 'pbx-clock-wrong', 'wrong-root', 'missing-intermediate', 'name-mismatch'],
      fixes: ['carrier-renews', 'set-clock', 'turn-off-verification', 'install-root'],
      hint: 'Read the validity dates of the SBC’s certificate and compare them with the PBX’s clock, then with the real date.',
    },
    whatIf: [TLS_VERSION],
    remedies: [
      {
        cause: () => 'The SBC’s certificate (or its issuing CA’s) is past its notAfter date.',
        fix: () =>
          'The carrier must renew the SBC’s certificate. Do not turn off verification on the PBX in the meantime: that opens the trunk to a man in the middle.',
        article: troubleshooting('expired-sbc-certificate', 'Expired SBC certificate'),
      },
    ],
  },
  {
    id: 'pbx-clock-skew',
    title: 'A PBX whose clock is wrong',
    summary:
      'After a power cut the PBX’s clock reads 1 January 2019. The SBC’s certificate is valid, but not yet by the PBX’s clock, so the PBX refuses it as expired.',
    lesson:
      'Certificate checks are only as good as the checker’s clock: keep the PBX on NTP. The alert cannot say whose clock is wrong; compare with date -u.',
    article: `${TROUBLE}#pbx-clock-skew`,
    expected: { ok: false, stage: 'tls', reason: 'certificate_expired' },
    setup: secureTrunk({ pbx: { clockSetTo: '2019-01-01T00:00:00Z' } }),
    training: {
      level: 'advanced',
      ticket: () =>
        'After the power cut on Sunday the phones came back but the trunk did not. We rebooted twice. Everything else in the office works.',
      pbx: ASTERISK_VERIFY_FAILED,
      proof: { from: 'pbx', summary: 'Alert', which: 'first' },
      causes: ['pbx-clock-wrong', 'sbc-certificate-expired', 'wrong-root', 'missing-intermediate', 'interception'],
      fixes: ['set-clock', 'carrier-renews', 'turn-off-verification', 'install-root'],
      hint: 'The certificate’s notBefore and notAfter are in the Certificate message; the clock they were checked against is in the PBX’s certificate check.',
    },
    remedies: [
      {
        cause: () =>
          'The PBX’s clock is wrong: after a power cut on hardware without a working clock battery, or with NTP blocked, it can be years off. Certificate dates are checked against the checker’s own clock.',
        fix: () => 'Set the clock and keep it set: configure NTP on the PBX and allow it through the firewall.',
        article: troubleshooting('pbx-clock-skew', 'PBX clock skew'),
      },
    ],
  },
  {
    id: 'missing-intermediate',
    title: 'The SBC sends its certificate without the intermediate',
    summary:
      'The SBC’s Certificate message holds its own certificate but not the issuing CA’s. The PBX has the root, but no link from the leaf to it, and answers unknown_ca.',
    lesson:
      'A server must send its chain, not just its certificate: the client holds only the root, and cannot bridge a missing intermediate.',
    article: `${TROUBLE}#missing-intermediate`,
    expected: { ok: false, stage: 'tls', reason: 'unknown_ca' },
    setup: secureTrunk({ sbc: { sendsIntermediate: false } }),
    training: {
      level: 'advanced',
      ticket: (c) =>
        `The carrier did maintenance on the SBC last night. Since then our trunk is down. We have the ${c.name} root installed exactly as in the guide.`,
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('FAIL_WAIT', 'DOWN'),
        log: () =>
          freeswitchLog(
            'ERR',
            'tport_tls.c:1152',
            'tls_connect() TLS setup failed: certificate verify failed (unable to get local issuer certificate)',
          ),
      },
      proof: { from: 'pbx', summary: 'Alert', which: 'first' },
      causes: ['missing-intermediate', 'wrong-root', 'interception', 'sbc-certificate-expired', 'name-mismatch'],
      fixes: ['send-chain', 'install-root', 'turn-off-verification', 'stop-interception'],
      hint: 'Count the certificates in the SBC’s Certificate message, and read the issuer of the first one.',
    },
    remedies: [
      {
        cause: () =>
          'A certificate was sent without the issuing CA’s certificate behind it. The checker has the root, but no path from the certificate to it: the link in the middle is missing.',
        fix: () =>
          'Whoever sends the short chain must send the chain file: its own certificate first, then the issuing CA’s. On a PBX, that is the chain file the carrier returned with the signed certificate.',
        article: troubleshooting('missing-intermediate', 'Missing intermediate'),
      },
    ],
  },
  {
    id: 'wrong-root-installed',
    title: 'The wrong root installed on the PBX',
    summary:
      'The PBX was given another CA’s root instead of the carrier’s. The SBC’s genuine chain leads to a root the PBX does not hold, and the PBX refuses it with unknown_ca.',
    lesson: 'Trust starts with the right root on the PBX, checked by fingerprint when it is installed.',
    article: `${TROUBLE}#wrong-root-installed`,
    expected: { ok: false, stage: 'tls', reason: 'unknown_ca' },
    setup: secureTrunk({ pbx: { tls: { trusts: 'other-root' } } }),
    training: {
      level: 'beginner',
      ticket: () =>
        'New installation. We followed the set-up guide and uploaded the CA file we were sent, but the trunk never came up. The SBC name is right.',
      pbx: ASTERISK_VERIFY_FAILED,
      proof: { from: 'pbx', summary: 'Alert', which: 'first' },
      causes: ['wrong-root', 'missing-intermediate', 'interception', 'name-mismatch', 'pbx-clock-wrong'],
      fixes: ['install-root', 'send-chain', 'turn-off-verification', 'set-clock'],
      hint: 'The SBC’s Certificate message holds its whole chain: see whose root it leads to, and which root the PBX trusts.',
    },
    remedies: [
      {
        cause: (c) =>
          `The root certificate configured on the PBX is not ${c.ca.rootName}: an old root, a public CA bundle, another carrier’s root, or the issuing CA’s file where the root should be.`,
        fix: (c) =>
          `Install ${c.ca.rootName} as the trunk’s trusted root, and check its fingerprint against the one the carrier published.`,
        article: troubleshooting('wrong-root-installed', 'Wrong root installed'),
      },
    ],
  },
  {
    id: 'no-client-cert',
    title: 'No client certificate on the PBX',
    summary:
      'The SBC asks for the PBX’s certificate; the PBX has none configured and sends an empty list. In TLS 1.3 the SBC ends the handshake with certificate_required.',
    lesson:
      'Mutual TLS needs both halves: the PBX must present the certificate the carrier signed from its CSR, with its key readable.',
    article: `${TROUBLE}#no-client-certificate`,
    expected: { ok: false, stage: 'tls', reason: 'certificate_required' },
    setup: secureTrunk({ pbx: { tls: { certificate: 'none' } } }),
    training: {
      level: 'beginner',
      ticket: () =>
        'We moved the phone system to a new server this weekend and copied the configuration over. The trunk will not come up.',
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Rejected'),
        log: () =>
          asteriskLog(
            'WARNING',
            'pjproject',
            'SSL SSL_ERROR_SSL (Read): err: <error:0A00045C:SSL routines::tlsv13 alert certificate required>',
          ),
      },
      proof: { from: 'sbc', summary: 'Alert', which: 'first' },
      causes: [
        'no-client-certificate',
        'client-certificate-wrong-ca',
        'wrong-root',
        'no-common-cipher',
        'no-common-version',
      ],
      fixes: ['configure-client-certificate', 'use-carrier-signed-certificate', 'install-root', 'allow-carrier-suites'],
      hint: 'Open the PBX’s Certificate message, sent after the SBC asked for one: how many certificates does it hold?',
    },
    whatIf: [TLS_VERSION],
    remedies: [
      {
        // TLS 1.3 has an alert for it; TLS 1.2 ends with handshake_failure (RFC 8446 §4.4.2.4, RFC 5246 §7.4.6).
        when: [{ reason: 'certificate_required' }, { reason: 'handshake_failure', decidedBy: 'sbc' }],
        cause: () =>
          'The PBX has no certificate and key configured for the trunk (or cannot read the key file), so it answers the SBC’s CertificateRequest with an empty Certificate message.',
        fix: () =>
          'Configure the certificate chain and key on the trunk’s TLS transport, and check that the key file’s permissions let the PBX read it.',
        article: troubleshooting('no-client-certificate', 'No client certificate'),
      },
    ],
  },
  {
    id: 'client-cert-wrong-ca',
    title: 'A client certificate from the wrong CA',
    summary:
      'The PBX presents a certificate from the customer’s own internal CA, which the carrier never signed. The SBC finds no path to its root and answers unknown_ca.',
    lesson: 'The SBC trusts only certificates its carrier’s CA issued: use the one signed from the PBX’s CSR.',
    article: `${TROUBLE}#client-certificate-from-the-wrong-ca`,
    expected: { ok: false, stage: 'tls', reason: 'unknown_ca' },
    setup: secureTrunk({ pbx: { tls: { certificate: 'customer-ca' } } }),
    training: {
      level: 'advanced',
      ticket: () =>
        'Our IT partner renewed all our certificates with our company CA last week, as they do every year. Since then no calls.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('FAIL_WAIT', 'DOWN'),
        log: () => freeswitchLog('ERR', 'tport_tls.c:1152', 'tls_connect() TLS setup failed: tlsv1 alert unknown ca'),
      },
      proof: { from: 'sbc', summary: 'Alert', which: 'first' },
      causes: [
        'client-certificate-wrong-ca',
        'no-client-certificate',
        'wrong-root',
        'missing-intermediate',
        'interception',
      ],
      fixes: ['use-carrier-signed-certificate', 'configure-client-certificate', 'install-root', 'send-chain'],
      hint: 'Which side sends the alert? Then read the issuer of the certificate the PBX presented.',
    },
    remedies: [
      {
        cause: () =>
          'The PBX presents a certificate the carrier’s CA did not sign: a self-signed one made during installation, one from a public CA, or one another carrier issued.',
        fix: () => 'Use the certificate the carrier signed from the PBX’s CSR.',
        article: troubleshooting('client-certificate-from-the-wrong-ca', 'Client certificate from the wrong CA'),
      },
    ],
  },
  {
    id: 'tls-version-mismatch',
    title: 'No TLS version in common',
    summary:
      'The carrier has moved to TLS 1.3 only; the PBX’s firmware speaks only TLS 1.2. The SBC answers its ClientHello with protocol_version.',
    lesson:
      'Versions are negotiated from the ClientHello: if the lists do not overlap, the handshake ends at once. Update the PBX rather than ask the carrier to weaken its settings.',
    article: `${TROUBLE}#tls-version-mismatch`,
    expected: { ok: false, stage: 'tls', reason: 'protocol_version' },
    setup: secureTrunk({ carrier: { tls: { versions: ['1.3'] } }, pbx: { tls: { versions: ['1.2'] } } }),
    training: {
      level: 'beginner',
      ticket: (c) =>
        `Our old phone system lost its trunk this morning. ${c.name} sent an email about “security improvements” last month but we did not change anything.`,
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Rejected'),
        log: () =>
          asteriskLog(
            'WARNING',
            'pjproject',
            'SSL SSL_ERROR_SSL (Handshake): err: <error:0A00042E:SSL routines::tlsv1 alert protocol version>',
          ),
      },
      proof: { from: 'sbc', summary: 'Alert', which: 'first' },
      causes: ['no-common-version', 'no-common-cipher', 'wrong-port', 'no-client-certificate', 'interception'],
      fixes: ['enable-tls-versions', 'allow-carrier-suites', 'tls-port', 'configure-client-certificate'],
      hint: 'Read the ClientHello’s supported_versions extension, and what the SBC answers it with.',
    },
    remedies: [
      {
        cause: (c) =>
          `The PBX offers only TLS versions the SBC refuses (TLS 1.0 or 1.1 on old firmware, or a TLS library limited to an older version than the carrier’s). ${c.name} accepts ${versionsInWords(c)}.`,
        fix: (c) => `Turn on ${versionsInWords(c)} in the PBX’s TLS settings; update firmware that cannot.`,
        article: troubleshooting('tls-version-mismatch', 'TLS version mismatch'),
      },
    ],
  },
  {
    id: 'cipher-mismatch',
    title: 'No cipher suite in common',
    summary:
      'An old PBX offers only TLS_RSA_WITH_AES_128_CBC_SHA, a static-RSA suite the carrier no longer accepts. The SBC finds nothing in common and answers handshake_failure.',
    lesson:
      'The suite list is the carrier’s security policy: a PBX must offer at least one of the carrier’s forward-secret suites.',
    article: `${TROUBLE}#cipher-mismatch`,
    expected: { ok: false, stage: 'tls', reason: 'handshake_failure' },
    setup: secureTrunk({ pbx: { tls: { versions: ['1.2'], suites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] } } }),
    training: {
      level: 'advanced',
      ticket: () =>
        'We set a “high security” cipher list on our PBX years ago and it always worked. Today the trunk is down everywhere.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('FAIL_WAIT', 'DOWN'),
        log: () =>
          freeswitchLog('ERR', 'tport_tls.c:1152', 'tls_connect() TLS setup failed: sslv3 alert handshake failure'),
      },
      proof: { from: 'sbc', summary: 'Alert', which: 'first' },
      causes: ['no-common-cipher', 'no-common-version', 'no-client-certificate', 'wrong-port', 'wrong-root'],
      fixes: ['allow-carrier-suites', 'enable-tls-versions', 'configure-client-certificate', 'tls-port'],
      hint: 'Read the cipher_suites list in the ClientHello and compare it with the carrier’s supported suites.',
    },
    remedies: [
      {
        cause: () =>
          'None of the cipher suites the PBX offers is on the SBC’s list: a PBX restricted to old CBC or static-RSA suites, or a cipher string that leaves out all of the carrier’s suites.',
        fix: () =>
          'Allow at least one of the carrier’s suites in the PBX’s cipher setting (the supported suites page gives their OpenSSL names).',
        article: troubleshooting('cipher-mismatch', 'Cipher mismatch'),
      },
    ],
  },
  {
    id: 'wrong-port',
    title: 'TLS sent to the plain SIP port',
    summary:
      'The trunk is set to TLS but to the SBC’s plain SIP port. The SBC accepts the TCP connection and waits for a SIP message; the ClientHello is not one, no ServerHello comes back, and the PBX gives up.',
    lesson:
      'Transport and port go together: TLS on the SBC’s TLS port, plain SIP on its plain port. A handshake that gets no answer at all usually means the wrong port.',
    article: `${TROUBLE}#wrong-port`,
    expected: { ok: false, stage: 'tls', reason: 'handshake_timeout' },
    setup: secureTrunk({ pbx: { port: 'plain' } }),
    training: {
      level: 'beginner',
      ticket: () =>
        'We switched the trunk from UDP to TLS as your email asked. Now the trunk just says it is trying, forever. No error.',
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Unregistered'),
        log: () =>
          asteriskLog(
            'WARNING',
            'pjproject',
            'SSL SSL_ERROR_SYSCALL (Handshake): err: <timed out waiting for ServerHello>',
          ),
      },
      proof: { from: 'pbx', summary: 'FIN', which: 'first' },
      causes: ['wrong-port', 'no-common-version', 'no-common-cipher', 'interception', 'no-client-certificate'],
      fixes: ['tls-port', 'enable-tls-versions', 'allow-carrier-suites', 'turn-off-verification'],
      hint: 'Read the destination port of the ClientHello, and see what came back after it.',
    },
    remedies: [
      {
        cause: (c) =>
          `The trunk sends TLS to the SBC’s plain SIP port ${c.sbc.plainPort} (or plain SIP to ${c.sbc.tlsPort}). The SBC expects a SIP request and receives a ClientHello, which is not SIP: it answers nothing a TLS client understands, or closes the connection.`,
        fix: (c) => `Set the trunk to port ${c.sbc.tlsPort} with transport TLS: the two go together.`,
        article: troubleshooting('wrong-port', 'Wrong port'),
      },
    ],
  },
];
