/**
 * SRTP in the middle of a call: a re-INVITE (RFC 3261 §14) carries a new
 * offer with fresh SDES keys (RFC 4568 §7.1.4), as PBXs send on a hold and
 * resume, a transfer or a session refresh. Both sides must move to the new
 * keys; an SBC whose media engine goes on decrypting with the old key drops
 * every packet the PBX sends after the switch: the audio stops one way,
 * minutes into the call, with nothing wrong in the SIP.
 */
import type { ScenarioDefinition } from '../scenario';
import { secureTrunk } from '../setup';
import { troubleshooting } from '../article-links';
import { freeswitchGateway, freeswitchLog } from '../../training/pbx-lines';

/** How far into the call the PBX re-keys: long enough for some audio to have gone both ways. */
const REKEY_AFTER_MS = 1000;

export const REKEYING_SCENARIOS: ScenarioDefinition[] = [
  {
    id: 'rekey-old-key',
    title: 'A re-INVITE changes the key; the SBC keeps the old one',
    summary:
      'A second into the call the PBX sends a re-INVITE with a new a=crypto key. The SBC answers it with a new key of its own, but goes on decrypting the PBX’s audio with the old key: from the switch on, every packet from the PBX fails authentication and the SBC hears nothing.',
    lesson:
      'Audio that stops in one direction in the middle of a call, right after a re-INVITE, is a re-keying fault: the tag failures begin with the first packet under the new key. Compare the a=crypto keys of the re-INVITE and its answer with the key the receiver uses.',
    article: '/docs/srtp-mid-call/#one-side-keeps-the-old-key',
    expected: { ok: false, stage: 'srtp', reason: 'auth_failure' },
    training: {
      level: 'advanced',
      ticket: () =>
        'Calls start fine, then after a minute or so the other side stops hearing us. Our side still hears them. Every long call does it.',
      pbx: {
        system: 'FreeSWITCH',
        status: () => freeswitchGateway('REGED', 'UP'),
        log: () =>
          freeswitchLog(
            'NOTICE',
            'sofia.c:7467',
            'Channel sofia/gateway/quillfeather entering state [re-INVITE sent, new SRTP key offered]',
          ),
      },
      proof: { from: 'pbx', summary: 'SRTP', which: 'first', after: 'SIP ACK' },
      causes: ['wrong-srtp-key', 'srtp-altered', 'srtp-duplicated', 'private-address', 'rtp-ports-blocked'],
      fixes: ['fix-rekeying', 'find-altering-device', 'ignore-replays', 'set-external-address'],
      hint: 'Compare the a=crypto key in the re-INVITE with the one before it, and see which of the PBX’s packets the SBC drops after it.',
    },
    setup: secureTrunk({ pbx: { rekeyAfterMs: REKEY_AFTER_MS }, sbc: { keepsOldKeyOnRekey: true } }),
    remedies: [
      {
        cause: () =>
          'A re-INVITE changed the SRTP keys, and one side went on using the old key; or, after a long call, the two sides’ rollover counters no longer agree. Either way every packet in that direction fails its tag.',
        fix: () =>
          'A software fault of the side that kept the old key: report it to its vendor with the capture and both SDPs.',
        article: troubleshooting('audio-stops-after-a-re-invite', 'Audio stops after a re-INVITE'),
      },
    ],
    whatIf: [
      {
        id: 'sbcKey',
        label: 'After the re-INVITE, the SBC decrypts with',
        choices: [
          { value: 'old', label: 'The old key (a fault)' },
          { value: 'new', label: 'The new key' },
        ],
        default: 'old',
        effects: { new: { sbc: { keepsOldKeyOnRekey: false } } },
      },
    ],
  },
];
