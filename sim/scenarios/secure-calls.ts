/**
 * Calls that go through: the secure trunk itself, its TLS 1.2 variant, and
 * the trunks that work but protect nothing, seen by an eavesdropper.
 */
import type { ScenarioDefinition, WhatIfRule } from './scenario';
import { secureTrunk } from './setup';
import { troubleshooting } from './article-links';
import { asteriskLog, asteriskRegistration } from '../training/pbx-lines';

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

const ATTACKER: WhatIfRule = {
  id: 'attacker',
  label: 'Attacker on the path',
  choices: [
    { value: 'off', label: 'No attacker' },
    { value: 'observe', label: 'An eavesdropper' },
  ],
  default: 'off',
  effects: { observe: { attacker: { kind: 'observe' } } },
};

const SRTP: WhatIfRule = {
  id: 'srtp',
  label: 'Media encryption',
  choices: [
    { value: 'on', label: 'SRTP (SDES)' },
    { value: 'off', label: 'Plain RTP' },
  ],
  default: 'on',
  effects: { off: { pbx: { media: { offer: 'rtp' } }, carrier: { srtp: { required: false } } } },
};

export const SECURE_CALLS: ScenarioDefinition[] = [
  {
    id: 'secure-call',
    title: 'A secure call',
    summary:
      'The PBX opens mutual TLS 1.3 to the SBC, registers with digest credentials, places a call whose SDP carries SRTP keys, talks over SRTP both ways, and hangs up.',
    lesson:
      'Everything a trunk needs to be secure, in order: TLS authenticates both ends and hides the SIP, SDES carries the SRTP keys inside that TLS, and SRTP encrypts and authenticates every voice packet.',
    article: '/docs/secure-trunk/#watch-it-happen',
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk(),
    whatIf: [TLS_VERSION, ATTACKER, SRTP],
  },
  {
    id: 'secure-call-tls12',
    title: 'A secure call over TLS 1.2',
    summary:
      'The same call with a PBX that speaks only TLS 1.2: an ECDHE-RSA handshake, whose certificates and key exchange travel in clear before the SIP is encrypted.',
    lesson:
      'TLS 1.2 with an ECDHE suite protects the SIP as well as TLS 1.3 does, but shows more of the handshake to an observer: the certificates of both sides.',
    article: '/docs/tls-handshake/#tls-12',
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk({ keys: 'rsa-2048', pbx: { tls: { versions: ['1.2'] } } }),
    whatIf: [ATTACKER],
  },
  {
    id: 'eavesdrop-secure',
    title: 'An eavesdropper on a secure trunk',
    summary:
      'An attacker on the path records the whole secure call. It reads the addresses, the SBC’s name in the ClientHello, record sizes, timing and RTP headers, and nothing else.',
    lesson:
      'Encryption hides content, not metadata: who talks to which carrier, when, and for how long stays visible. The SIP, the keys and the voice do not.',
    article: '/docs/attacks/#eavesdropping',
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk({ attacker: { kind: 'observe' } }),
    whatIf: [TLS_VERSION],
  },
  {
    id: 'plain-sip-eavesdrop',
    title: 'Plain SIP and RTP, overheard',
    summary:
      'A trunk without TLS or SRTP: SIP over UDP to the SBC’s plain SIP port, and plain RTP. The attacker on the path reads every header and the password digest, and plays the audio.',
    lesson:
      'A plain trunk works, which is why it survives: nothing fails, and everyone on the path can read, record and replay it.',
    article: '/docs/attacks/#eavesdropping',
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk({
      carrier: { srtp: { required: false } },
      pbx: { transport: 'udp', port: 'plain', media: { offer: 'rtp' } },
      attacker: { kind: 'observe' },
    }),
  },
  {
    id: 'sdes-over-plain-sip',
    title: 'SRTP keys in clear SIP',
    summary:
      'The PBX uses SRTP but sends its SIP over plain UDP. The a=crypto keys travel in clear in the SDP; the attacker reads them and decrypts the audio.',
    lesson: 'SDES is only as secure as the SIP that carries it: SRTP without TLS looks encrypted and protects nothing.',
    article: '/docs/srtp-and-sdes/#why-sdes-without-tls-protects-nothing',
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk({ pbx: { transport: 'udp', port: 'plain' }, attacker: { kind: 'observe' } }),
    whatIf: [
      {
        id: 'transport',
        label: 'SIP transport',
        choices: [
          { value: 'udp', label: 'Plain UDP' },
          { value: 'tls', label: 'TLS' },
        ],
        default: 'udp',
        effects: { tls: { pbx: { transport: 'tls', port: 'tls' } } },
      },
    ],
  },
  {
    id: 'contact-private-ip',
    title: 'A private address in Contact and SDP',
    summary:
      'The PBX registers and calls with its LAN address in Contact and in the SDP’s c= line. The call connects, but the SBC’s audio goes to an address nobody on the internet can reach.',
    lesson:
      'A PBX behind NAT must advertise its public address: the SBC sends calls and media where Contact and c= say, and a private address leads nowhere.',
    article: '/docs/troubleshooting/#contact-with-a-private-ip',
    expected: { ok: false, stage: 'srtp', reason: 'one_way_audio' },
    setup: secureTrunk({ pbx: { contact: 'private' } }),
    training: {
      level: 'beginner',
      ticket: () =>
        'Calls connect, but the person calling hears us and we hear nothing. One-way audio on every call since we moved offices.',
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Registered'),
        log: () =>
          asteriskLog(
            'WARNING',
            'res_rtp_asterisk.c:7302 ast_rtp_read',
            'RTP Read too short or no packets received on channel PJSIP/quillfeather-00000004 for 30 seconds',
          ),
      },
      proof: { from: 'sbc', summary: 'SRTP', which: 'first' },
      causes: ['private-address', 'rtp-ports-blocked', 'wrong-srtp-key', 'srtp-altered', 'srtp-duplicated'],
      fixes: ['set-external-address', 'open-rtp-ports', 'update-pbx-keying', 'find-altering-device'],
      hint: 'Read the c= line of the SDP the PBX sent, and where the SBC’s first media packet is addressed.',
    },
    remedies: [
      {
        cause: (c) =>
          `The PBX writes its LAN address (${c.customer.pbxPrivateIp}) in Contact and in the SDP’s c= line. The SBC sends its audio, and any request for the PBX, to that address, which does not exist on the internet: nothing comes back, while the PBX’s own audio still reaches the SBC.`,
        fix: (c) =>
          `Tell the PBX its public address (${c.customer.pbxIp}) for signalling and media, in its NAT or external-address settings.`,
        article: troubleshooting('contact-with-a-private-ip', 'Contact with a private IP'),
      },
    ],
  },
  {
    id: 'record-now-decrypt-later',
    title: 'Record now, decrypt later',
    summary:
      'An old PBX offers only a static-RSA TLS 1.2 suite, and the carrier still accepts it. An attacker records the call; later it steals the SBC’s private key and decrypts the recording: the SIP, the SDES keys, and so the audio.',
    lesson:
      'With RSA key transport, one stolen key opens every recorded session. ECDHE (and all of TLS 1.3) gives forward secrecy: the same stolen key opens nothing.',
    article: '/docs/attacks/#record-now-decrypt-later',
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk({
      keys: 'rsa-2048',
      carrier: {
        tls: {
          tls12Suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
        },
      },
      pbx: { tls: { versions: ['1.2'], suites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] } },
      attacker: { kind: 'steal-key' },
    }),
    whatIf: [
      {
        id: 'keyExchange',
        label: 'Key exchange',
        choices: [
          { value: 'static-rsa', label: 'Static RSA (TLS_RSA_*)' },
          { value: 'ecdhe', label: 'ECDHE (forward secret)' },
        ],
        default: 'static-rsa',
        effects: { ecdhe: { pbx: { tls: { suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } } } },
      },
    ],
  },
];
