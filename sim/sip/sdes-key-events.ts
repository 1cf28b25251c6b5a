/**
 * What a party learns from an SDES exchange, as Timeline key events: the SRTP
 * master key and master salt of each direction, read from the `inline:`
 * key-params of the offer's and the answer's `a=crypto` lines (RFC 4568 §6.1;
 * the key comes first, then the salt, RFC 3711 §8.2). Both endpoints hold all
 * four values; so does anyone who could read the SDP, which is why SDES needs
 * TLS underneath.
 */
import { SRTP_SUITES } from '../rtp/srtp-suite';
import type { KeyEvent, Party } from '../timeline';
import { toHex } from '../wire/bytes';
import type { SrtpAgreement } from './offer-answer';

export function sdesKeyEvents(party: Party, agreement: SrtpAgreement): KeyEvent[] {
  const suite = SRTP_SUITES[agreement.suite];
  const side = (who: 'offerer' | 'answerer') => {
    const material = agreement[who];
    const where =
      who === 'offerer' ? 'a=crypto in the offer (PBX → SBC media)' : 'a=crypto in the answer (SBC → PBX media)';
    const direction = who === 'offerer' ? 'PBX → SBC' : 'SBC → PBX';
    const how = (part: string, range: string) =>
      `${part} = bytes ${range} of the base64-decoded inline: key||salt, tag ${agreement.tag}, ${agreement.suite}`;
    return [
      {
        kind: 'key' as const,
        party,
        name: `SRTP master key (${direction})`,
        value: toHex(material.masterKey),
        from: [where],
        how: how('master key', `0–${suite.keyLength - 1}`),
        spec: 'RFC 4568 §6.1',
      },
      {
        kind: 'key' as const,
        party,
        name: `SRTP master salt (${direction})`,
        value: toHex(material.masterSalt),
        from: [where],
        how: how('master salt', `${suite.keyLength}–${suite.keyLength + suite.saltLength - 1}`),
        spec: 'RFC 3711 §8.2',
      },
    ];
  };
  return [...side('offerer'), ...side('answerer')];
}
