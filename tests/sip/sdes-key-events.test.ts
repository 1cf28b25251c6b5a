import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../sim/crypto/random';
import { answerOffer, buildOffer } from '../../sim/sip/offer-answer';
import { sdesKeyEvents } from '../../sim/sip/sdes-key-events';
import { parseCryptoAttribute, type CryptoAttribute } from '../../sim/sip/sdes';
import { attributes } from '../../sim/sip/sdp';
import { toHex } from '../../sim/wire/bytes';

describe('SDES key events', () => {
  it('name the master key and salt of each direction, as the a=crypto lines carry them', () => {
    const local = { address: '203.0.113.10', port: 40000, payloadTypes: [0], username: 'pbx', sessionId: '1' };
    const offer = buildOffer(local, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(1));
    const answer = answerOffer(
      offer.sdp,
      { suites: ['AES_CM_128_HMAC_SHA1_80'], required: true, acceptMki: false },
      { ...local, address: '198.51.100.20' },
      HmacDrbg.fromSeed(2),
    );
    if (!answer.ok) throw new Error(answer.detail);
    const events = sdesKeyEvents('attacker', answer.agreement!);
    expect(events.map((e) => [e.party, e.name, e.value.length / 2])).toEqual([
      ['attacker', 'SRTP master key (PBX → SBC)', 16],
      ['attacker', 'SRTP master salt (PBX → SBC)', 14],
      ['attacker', 'SRTP master key (SBC → PBX)', 16],
      ['attacker', 'SRTP master salt (SBC → PBX)', 14],
    ]);
    const offered = parseCryptoAttribute(attributes(offer.sdp.media[0].lines, 'crypto')[0]) as CryptoAttribute;
    expect(events[0].value + events[1].value).toBe(toHex(offered.keys[0].keySalt));
    const answered = parseCryptoAttribute(attributes(answer.sdp.media[0].lines, 'crypto')[0]) as CryptoAttribute;
    expect(events[2].value + events[3].value).toBe(toHex(answered.keys[0].keySalt));
  });
});
