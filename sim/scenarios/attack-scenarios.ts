/**
 * The attacker acting on a secure call's packets: flipping bits in TLS
 * records and SRTP packets, and replaying recorded SRTP. Each is caught by
 * the protocol's authentication, and each run shows where.
 */
import type { ScenarioDefinition, WhatIfRule } from './scenario';
import { secureTrunk } from './setup';

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
    whatIf: [attackerSwitch({})],
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
    whatIf: [attackerSwitch({})],
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
    whatIf: [attackerSwitch({})],
  },
];
