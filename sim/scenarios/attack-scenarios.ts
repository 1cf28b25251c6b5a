/**
 * The attacker acting on a secure call's packets: flipping bits in TLS
 * records and SRTP packets, and replaying recorded SRTP. Each is caught by
 * the protocol's authentication, and each run shows where.
 */
import type { ScenarioDefinition, WhatIfRule } from './scenario';
import { secureTrunk } from './setup';
import { troubleshooting } from './article-links';
import { asteriskLog, asteriskRegistration, freeswitchGateway, freeswitchLog } from '../training/pbx-lines';

const attackerSwitch = (on: WhatIfRule['effects'][string]): WhatIfRule => ({
  id: 'attacker',
  label: 'Attacker on the path',
  choices: [
    { value: 'on', label: 'Attacking' },
    { value: 'off', label: 'No attacker' },
  ],
  default: 'on',
  effects: { on, off: { attacker: { kind: 'none' } } },
});

export const ATTACK_SCENARIOS: ScenarioDefinition[] = [
  {
    id: 'tls-record-tamper',
    title: 'A tampered TLS record',
    summary:
      'The attacker flips one bit of the TLS record that carries the PBX’s REGISTER. The SBC’s AEAD tag check fails; it sends bad_record_mac and the connection ends.',
    lesson:
      'TLS cannot stop an attacker from changing bytes, but it always notices: one altered bit costs the connection, never the integrity of the SIP.',
    article: '/docs/attacks/#tampering',
    expected: { ok: false, stage: 'tls', reason: 'bad_record_mac' },
    setup: secureTrunk({ attacker: { kind: 'tamper', target: 'sip', packets: 1 } }),
    training: {
      level: 'advanced',
      ticket: () =>
        'The trunk registers now and then and drops again. Our network provider replaced a router in our building on Friday.',
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Rejected'),
        log: () =>
          asteriskLog(
            'WARNING',
            'pjproject',
            'SSL SSL_ERROR_SSL (Read): err: <error:0A000119:SSL routines::tlsv1 alert bad record mac>',
          ),
      },
      proof: { from: 'attacker', summary: 'REGISTER', which: 'first' },
      causes: [
        'record-altered',
        'no-client-certificate',
        'client-certificate-wrong-ca',
        'no-common-cipher',
        'interception',
      ],
      fixes: ['find-altering-device', 'turn-off-verification', 'configure-client-certificate', 'allow-carrier-suites'],
      hint: 'The handshake finished: follow the first record with SIP in it, from the PBX to the SBC, and compare it in the PBX’s and the SBC’s views.',
    },
    whatIf: [attackerSwitch({})],
    remedies: [
      {
        cause: () =>
          'A record’s authentication tag did not verify: a byte changed between the two ends. An attacker can cause it; so can faulty network equipment.',
        fix: () =>
          'Find the device that alters traffic (compare captures taken at both ends); TLS has already done its part by refusing the damaged data.',
        article: troubleshooting('tls-record-tampering', 'TLS record tampering'),
      },
    ],
  },
  {
    id: 'srtp-tamper',
    title: 'Tampered SRTP packets',
    summary:
      'During the call the attacker flips a bit in a few of the PBX’s SRTP packets. The SBC’s authentication check fails on exactly those, and it drops them: short gaps, no altered audio.',
    lesson:
      'SRTP’s authentication tag makes tampering visible: an altered packet is dropped, never played. Partial tag failures point at something on the path.',
    article: '/docs/srtp-and-sdes/#what-the-authentication-tag-protects',
    expected: { ok: false, stage: 'srtp', reason: 'auth_failure' },
    setup: secureTrunk({ attacker: { kind: 'tamper', target: 'srtp', packets: 5 } }),
    training: {
      level: 'advanced',
      ticket: () =>
        'Calls work but the audio has small gaps, a syllable missing here and there, on every call through one office. The other office is fine.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('REGED', 'UP'),
        log: () =>
          freeswitchLog(
            'WARNING',
            'switch_rtp.c:6875',
            'Error: SRTP audio unprotect failed with code 7 (auth check failed)',
          ),
      },
      proof: { from: 'attacker', summary: 'SRTP (tampered)', which: 'every' },
      causes: ['srtp-altered', 'wrong-srtp-key', 'srtp-duplicated', 'private-address', 'rtp-ports-blocked'],
      fixes: ['find-altering-device', 'update-pbx-keying', 'ignore-replays', 'set-external-address'],
      hint: 'Open the call’s media and count what the SBC dropped, and why: all packets, or a few?',
    },
    whatIf: [attackerSwitch({})],
    remedies: [
      {
        cause: () =>
          'Received SRTP packets fail their authentication tag. If only some fail, bytes are being altered on the way. If all fail, the receiver uses the wrong key: for instance a PBX that kept the old key after a re-INVITE changed it.',
        fix: () =>
          'A partial failure is a network problem (or an attack) to chase along the path; a total failure is a keying problem for the PBX’s vendor or the carrier.',
        article: troubleshooting('srtp-authentication-failures', 'SRTP authentication failures'),
      },
    ],
  },
  {
    id: 'srtp-replay',
    title: 'Replayed SRTP packets',
    summary:
      'The attacker records some of the PBX’s SRTP packets and sends them again a moment later. They are authentic, but the SBC’s replay list has already seen their index, so it discards them.',
    lesson:
      'Authentication alone would let an old packet be played twice; SRTP’s replay window catches what is authentic but not new.',
    article: '/docs/srtp-and-sdes/#replay-protection',
    expected: { ok: false, stage: 'srtp', reason: 'replay' },
    setup: secureTrunk({ attacker: { kind: 'replay', packets: 5 } }),
    training: {
      level: 'advanced',
      ticket: () =>
        'Our monitoring shows the SBC dropping some of our voice packets on calls, though nobody has complained about the audio. Is something wrong?',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('REGED', 'UP'),
        log: () =>
          freeswitchLog('NOTICE', 'switch_rtp.c:6875', 'SRTP audio unprotect failed with code 9 (replay check failed)'),
      },
      proof: { from: 'attacker', summary: 'SRTP (replayed)', which: 'every' },
      causes: ['srtp-duplicated', 'srtp-altered', 'wrong-srtp-key', 'private-address', 'rtp-ports-blocked'],
      fixes: ['ignore-replays', 'find-altering-device', 'update-pbx-keying', 'open-rtp-ports'],
      hint: 'Compare the sequence numbers of the packets the SBC dropped with ones it took earlier.',
    },
    whatIf: [attackerSwitch({})],
    remedies: [
      {
        cause: () => 'Packets arrive twice: an attacker sends copies, or network equipment duplicates packets.',
        fix: () =>
          'Nothing on the trunk: SRTP’s replay window already discards them. Chase the duplicating device if the count is large.',
        article: troubleshooting('srtp-replays', 'SRTP replays'),
      },
    ],
  },
];
