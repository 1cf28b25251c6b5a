/**
 * Trunks whose TLS is fine but whose SIP or media is refused: a wrong digest
 * password, an offer without SRTP where SRTP is required, crypto suites the
 * carrier does not accept, a called number the carrier cannot route (404,
 * RFC 3261 §21.4.4), a call from a trunk that never registered (403,
 * §21.4.3).
 */
import type { ScenarioDefinition } from './scenario';
import { secureTrunk } from './setup';
import { troubleshooting } from './article-links';
import { asteriskLog, asteriskRegistration, freeswitchGateway, freeswitchHangup } from '../training/pbx-lines';
import { DIALLED_NATIONAL, DIALLED_NUMBER } from './pbx-side';

const TROUBLE = '/docs/troubleshooting/';

export const CALL_FAILURES: ScenarioDefinition[] = [
  {
    id: 'digest-wrong-password',
    title: 'A wrong digest password',
    summary:
      'The PBX answers the SBC’s challenge with a digest made from a mistyped password. The SBC challenges once more, in case of a typo, then refuses with 403 Forbidden.',
    lesson:
      'Certificates say which machine connects; the trunk password still says which account it may use. Passwords are case-sensitive, and a 403 after a 401 means the credentials, not the network.',
    article: `${TROUBLE}#wrong-digest-password`,
    expected: { ok: false, stage: 'sip', reason: '403' },
    setup: secureTrunk({ pbx: { password: 'wrong' } }),
    training: {
      level: 'beginner',
      ticket: (c) =>
        `We changed passwords on all our systems after a security review yesterday. Now the phones cannot call out. Our trunk account is ${c.customer.username}.`,
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Rejected'),
        log: (c) =>
          asteriskLog(
            'WARNING',
            'res_pjsip_outbound_registration.c:1019 handle_registration_response',
            `403 Forbidden fetching outbound registration for 'quillfeather' on 'sip:${c.sbc.host}:${c.sbc.tlsPort}'`,
          ),
      },
      proof: { from: 'sbc', summary: '403', which: 'first' },
      causes: ['wrong-password', 'wrong-user-name', 'ip-not-allowed', 'wrong-domain', 'register-blocked'],
      fixes: ['reenter-credentials', 'add-ip-to-trunk', 'open-sip-port', 'configure-client-certificate'],
      hint: 'Read the second REGISTER’s Authorization header (the PBX’s view), and what the SBC answered to it.',
    },
    remedies: [
      {
        cause: () => 'The user name, password or realm the PBX uses does not match the trunk account.',
        fix: () =>
          'Enter the credentials again (passwords are case-sensitive); the user name is the trunk account, not a phone number unless the carrier says so.',
        article: troubleshooting('wrong-digest-password', 'Wrong digest password'),
      },
    ],
  },
  {
    id: 'srtp-required-rtp-offered',
    title: 'SRTP required, plain RTP offered',
    summary:
      'The PBX’s media encryption is off, so its INVITE offers plain RTP (RTP/AVP, no a=crypto). The carrier requires SRTP and refuses the call with 488 Not Acceptable Here.',
    lesson:
      'A carrier that requires SRTP refuses clear audio rather than carry it. Turn on SRTP with SDES keys on the trunk.',
    article: `${TROUBLE}#srtp-required-but-rtp-offered`,
    expected: { ok: false, stage: 'sdp', reason: '488' },
    setup: secureTrunk({ pbx: { media: { offer: 'rtp' } } }),
    training: {
      level: 'beginner',
      ticket: () =>
        'The trunk shows registered, green. But every outgoing call fails straight away with a fast busy tone. Incoming calls do not arrive either.',
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Registered'),
        log: () =>
          asteriskLog(
            'NOTICE',
            'chan_pjsip.c:2873 chan_pjsip_incoming_response',
            'Got 488 Not Acceptable Here on outbound call to PJSIP/quillfeather',
          ),
      },
      proof: { from: 'sbc', summary: '488', which: 'first' },
      causes: ['srtp-off', 'no-common-srtp-suite', 'no-common-codec', 'number-format', 'not-registered'],
      fixes: ['enable-srtp', 'offer-aes-cm', 'disable-srtp-requirement', 'allow-g711'],
      hint: 'Read the m=audio line of the INVITE’s SDP, and look for a=crypto lines.',
    },
    remedies: [
      {
        cause: () =>
          'The trunk’s media encryption is off, so the INVITE offers plain RTP (RTP/AVP, no a=crypto line), which the SBC refuses.',
        fix: () => 'Turn on SRTP with SDES keys for the trunk (media_encryption=sdes in Asterisk).',
        article: troubleshooting('srtp-required-but-rtp-offered', 'SRTP required but RTP offered'),
      },
    ],
  },
  {
    id: 'srtp-suite-mismatch',
    title: 'No SRTP suite in common',
    summary:
      'The PBX offers SRTP, but only with AEAD_AES_256_GCM, which is not on the carrier’s list. The SBC finds no a=crypto line it can accept and answers 488.',
    lesson:
      'SRTP suites are negotiated like TLS suites: offer AES_CM_128_HMAC_SHA1_80 at least, the suite every SRTP implementation supports.',
    article: `${TROUBLE}#srtp-suite-mismatch`,
    expected: { ok: false, stage: 'sdp', reason: '488' },
    setup: secureTrunk({ pbx: { media: { suites: ['AEAD_AES_256_GCM'] } } }),
    training: {
      level: 'advanced',
      ticket: () =>
        'We upgraded the PBX and enabled the “strongest encryption” option for the trunk. It registers, but calls fail immediately.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('REGED', 'UP'),
        log: () => freeswitchHangup(DIALLED_NUMBER, 'INCOMPATIBLE_DESTINATION'),
      },
      proof: { from: 'sbc', summary: '488', which: 'first' },
      causes: ['no-common-srtp-suite', 'srtp-off', 'no-common-codec', 'number-format', 'not-registered'],
      fixes: ['offer-aes-cm', 'enable-srtp', 'allow-g711', 'disable-srtp-requirement'],
      hint: 'Read the crypto suite named in each a=crypto line of the INVITE, and the carrier’s SRTP suites.',
    },
    remedies: [
      {
        cause: (c) =>
          `None of the crypto suites in the INVITE’s a=crypto lines is on the SBC’s SRTP list (${c.srtp.suites.join(', ')}).`,
        fix: () => 'Offer AES_CM_128_HMAC_SHA1_80 at least: it is the suite every SRTP implementation supports.',
        article: troubleshooting('srtp-suite-mismatch', 'SRTP suite mismatch'),
      },
    ],
  },
  {
    id: 'called-number-national',
    title: 'A national number where E.164 is expected',
    summary:
      'The PBX sends the number it calls as a local phone dials it, without + and the country code. The carrier routes E.164 numbers only: its SBC answers the INVITE with 404 Not Found, and a Warning that says why.',
    lesson:
      'A trunk is not a phone line: the carrier expects every called number in E.164 (+, the country code, the number). A dial-plan rule on the PBX writes them so.',
    article: `${TROUBLE}#called-number-not-in-e164-form`,
    expected: { ok: false, stage: 'sip', reason: '404' },
    setup: secureTrunk({ pbx: { dialling: 'national' } }),
    training: {
      level: 'beginner',
      stage: 'call-setup',
      ticket: () =>
        'Since our new PBX went in on Monday, calls to outside numbers fail at once and the phones say the number does not exist. The trunk shows registered, and calls between our own phones work.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('REGED', 'UP'),
        log: () => freeswitchHangup(DIALLED_NATIONAL, 'UNALLOCATED_NUMBER'),
      },
      proof: { from: 'sbc', summary: '404', which: 'first' },
      causes: ['number-format', 'not-registered', 'caller-id-not-allowed', 'srtp-off', 'no-common-srtp-suite'],
      fixes: ['dial-e164', 'enable-registration', 'present-trunk-number', 'enable-srtp'],
      hint: 'Read the INVITE’s Request-URI (the PBX’s view), and the Warning header of the SBC’s answer.',
    },
    remedies: [
      {
        cause: (c) =>
          `The PBX sends the called number as a national number, without + and the country code; ${c.name} routes numbers in E.164 only, so its SBC answers 404 Not Found.`,
        fix: () =>
          `Add a dial-plan rule on the trunk that writes every called number in E.164 (+, the country code, the number: ${DIALLED_NUMBER}) before it is sent.`,
        article: troubleshooting('called-number-not-in-e164-form', 'Called number not in E.164 form'),
      },
    ],
  },
  {
    id: 'calls-without-registration',
    title: 'Calls from a trunk that never registered',
    summary:
      'The trunk’s registration is switched off on the PBX, so it calls as soon as its TLS connection is up. The carrier knows its trunks by their registration: the SBC has none for this one and refuses the INVITE with 403 Forbidden.',
    lesson:
      'Where the carrier authenticates trunks by registration, a PBX must register before it calls: a 403 to an INVITE with no REGISTER before it means the trunk never did.',
    article: `${TROUBLE}#calls-without-registration`,
    expected: { ok: false, stage: 'sip', reason: '403' },
    setup: secureTrunk({ pbx: { registers: false } }),
    training: {
      level: 'advanced',
      stage: 'call-setup',
      ticket: () =>
        'We moved the trunk to our new FreeSWITCH server this morning and copied the gateway settings across. The gateway shows UP, but every outgoing call is rejected straight away.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('NOREG', 'UP'),
        log: () => freeswitchHangup(DIALLED_NUMBER, 'CALL_REJECTED'),
      },
      proof: { from: 'sbc', summary: '403', which: 'first' },
      causes: ['not-registered', 'caller-id-not-allowed', 'number-format', 'srtp-off', 'no-common-srtp-suite'],
      fixes: ['enable-registration', 'present-trunk-number', 'dial-e164', 'reenter-credentials'],
      hint: 'List what the PBX sent once the TLS connection was up, before its INVITE, and read what the SBC answered to the INVITE.',
    },
    remedies: [
      {
        cause: (c) =>
          `The trunk’s registration is switched off, so the PBX calls without registering; ${c.name} knows its trunks by their registration, and its SBC refuses a call from a PBX it has no registration for with 403 Forbidden.`,
        fix: () =>
          'Turn registration on for the trunk (register=true on a FreeSWITCH gateway, an outbound registration on Asterisk), with the trunk account’s user name and password.',
        article: troubleshooting('calls-without-registration', 'Calls without registration'),
      },
    ],
  },
];
