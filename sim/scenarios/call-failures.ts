/**
 * Trunks whose TLS is fine but whose SIP or media is refused: a wrong digest
 * password, an offer without SRTP where SRTP is required, crypto suites the
 * carrier does not accept.
 */
import type { ScenarioDefinition } from './scenario';
import { secureTrunk } from './setup';

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
  },
];
