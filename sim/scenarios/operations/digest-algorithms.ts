/**
 * Digest algorithms on the registration (RFC 8760 §2, RFC 7616 §3.3): the
 * SBC challenges with SHA-256, and a PBX whose SIP stack knows only MD5
 * cannot answer; unless the SBC also challenges with MD5, one challenge per
 * algorithm, most preferred first, and the PBX answers the topmost it
 * supports.
 */
import type { ScenarioDefinition } from '../scenario';
import { secureTrunk } from '../setup';
import { troubleshooting } from '../article-links';
import { asteriskLog, asteriskRegistration } from '../../training/pbx-lines';

const ARTICLE = '/docs/digest-algorithms/';

export const DIGEST_ALGORITHM_SCENARIOS: ScenarioDefinition[] = [
  {
    id: 'digest-sha256-only',
    title: 'SHA-256 asked, MD5 known',
    summary:
      'The SBC challenges the REGISTER with SHA-256 only. The PBX’s SIP stack computes MD5 digests only: it finds no challenge it can answer and gives up, so the trunk never registers.',
    lesson:
      'A 401 the PBX never answers, with no 403 after it, points at the digest algorithm: compare the algorithm in WWW-Authenticate with what the PBX supports, then update the PBX or ask for an MD5 challenge beside the SHA-256 one.',
    article: `${ARTICLE}#a-pbx-that-knows-only-md5`,
    expected: { ok: false, stage: 'sip', reason: '401' },
    training: {
      level: 'advanced',
      ticket: (c) =>
        `${c.name} announced stronger passwords for trunks this month. Since the change our old PBX shows the trunk as not registered, and nothing in our configuration changed.`,
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Rejected'),
        log: () =>
          asteriskLog(
            'WARNING',
            'res_pjsip_outbound_authenticator_digest.c',
            'Unsupported digest algorithm in challenge: SHA-256',
          ),
      },
      proof: { from: 'sbc', summary: '401', which: 'first' },
      causes: [
        'digest-algorithm-unsupported',
        'wrong-password',
        'wrong-user-name',
        'ip-not-allowed',
        'register-blocked',
      ],
      fixes: ['update-digest-algorithms', 'reenter-credentials', 'add-ip-to-trunk', 'open-sip-port'],
      hint: 'Read the algorithm in the 401’s WWW-Authenticate header, and look for the PBX’s answer to it.',
    },
    setup: secureTrunk({ pbx: { digestAlgorithms: ['MD5'] }, sbc: { digestAlgorithms: ['SHA-256'] } }),
    remedies: [
      {
        cause: () =>
          'The SBC challenges only with an algorithm the PBX cannot compute: typically SHA-256 for a PBX that knows only MD5 (RFC 8760).',
        fix: () =>
          'Update the PBX to a release with SHA-256 digests; meanwhile the carrier can challenge with SHA-256 and MD5, one header each, and the PBX answers the one it knows.',
        article: troubleshooting('digest-algorithm-not-supported', 'Digest algorithm not supported'),
      },
    ],
    whatIf: [
      {
        id: 'pbxDigest',
        label: 'Digest algorithms the PBX knows',
        choices: [
          { value: 'md5', label: 'MD5 only' },
          { value: 'both', label: 'SHA-256 and MD5' },
        ],
        default: 'md5',
        effects: { both: { pbx: { digestAlgorithms: ['SHA-256', 'MD5'] } } },
      },
    ],
  },
  {
    id: 'digest-md5-offered-too',
    title: 'One challenge per algorithm',
    summary:
      'The SBC challenges with SHA-256 first and MD5 second, one WWW-Authenticate each. The MD5-only PBX answers the MD5 challenge, registers and calls; a PBX that knows SHA-256 would answer the first.',
    lesson:
      'Offering MD5 beside SHA-256 keeps older PBXs registering while newer ones use SHA-256. Each challenge carries its own nonce, and the SBC accepts a response only with the algorithm its nonce was issued for.',
    article: `${ARTICLE}#one-challenge-per-algorithm`,
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk({ pbx: { digestAlgorithms: ['MD5'] }, sbc: { digestAlgorithms: ['SHA-256', 'MD5'] } }),
    whatIf: [
      {
        id: 'pbxDigest',
        label: 'Digest algorithms the PBX knows',
        choices: [
          { value: 'md5', label: 'MD5 only' },
          { value: 'both', label: 'SHA-256 and MD5' },
        ],
        default: 'md5',
        effects: { both: { pbx: { digestAlgorithms: ['SHA-256', 'MD5'] } } },
      },
    ],
  },
];
