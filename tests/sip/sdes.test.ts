/**
 * SDES a=crypto lines (RFC 4568) parsed from the RFC's own examples, and
 * the malformed ones refused with a reason.
 */
import { describe, expect, it } from 'vitest';
import { formatCryptoAttribute, keyMaterial, parseCryptoAttribute, type CryptoAttribute } from '../../sim/sip/sdes';
import { fromBase64, toHex } from '../../sim/wire/bytes';

const parse = (value: string) => {
  const c = parseCryptoAttribute(value);
  if ('error' in c) throw new Error(c.error);
  return c as CryptoAttribute;
};

describe('a=crypto (RFC 4568 §9)', () => {
  it('RFC 4568 §4: tag 1, AES_CM_128_HMAC_SHA1_80, lifetime 2^20, MKI 1 of 32 bytes', () => {
    const value = '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32';
    const c = parse(value);
    expect(c).toMatchObject({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', sessionParams: [] });
    expect(c.keys).toHaveLength(1);
    expect(c.keys[0]).toMatchObject({ lifetime: '2^20', mki: { value: 1, length: 32 } });
    expect(c.keys[0].keySalt).toEqual(fromBase64('PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR'));
    expect(formatCryptoAttribute(c)).toBe(value);
    // RFC 3711 §8.2 / RFC 4568 §6.1: the first 16 bytes are the master key, the next 14 the master salt.
    const km = keyMaterial('AES_CM_128_HMAC_SHA1_80', c.keys[0]);
    expect(km.masterKey.length).toBe(16);
    expect(km.masterSalt.length).toBe(14);
    expect(toHex(km.masterKey) + toHex(km.masterSalt)).toBe(toHex(c.keys[0].keySalt));
  });

  it('RFC 4568 §6.1: a lifetime of 2^20 and an MKI of 1 in 4 bytes', () => {
    const c = parse('1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:4');
    expect(c.keys[0]).toMatchObject({ lifetime: '2^20', mki: { value: 1, length: 4 } });
  });

  it('RFC 4568 §6.1: no lifetime, MKI 1066 in 4 bytes', () => {
    const c = parse('1 AES_CM_128_HMAC_SHA1_80 inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|1066:4');
    expect(c.keys[0].lifetime).toBeUndefined();
    expect(c.keys[0].mki).toEqual({ value: 1066, length: 4 });
  });

  it('several keys with MKIs of equal length, and session parameters', () => {
    const value =
      '2 AES_CM_128_HMAC_SHA1_32 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:4;' +
      'inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|2^20|2:4 KDR=0 FEC_ORDER=FEC_SRTP';
    const c = parse(value);
    expect(c.keys.map((k) => k.mki!.value)).toEqual([1, 2]);
    expect(c.sessionParams).toEqual(['KDR=0', 'FEC_ORDER=FEC_SRTP']);
    expect(formatCryptoAttribute(c)).toBe(value);
  });

  it('AEAD and AES-256 suites take their own key lengths (RFC 7714 §12, RFC 6188 §5.1)', () => {
    const gcm128 = parse(`1 AEAD_AES_128_GCM inline:${Buffer.alloc(28, 7).toString('base64')}`);
    expect(keyMaterial('AEAD_AES_128_GCM', gcm128.keys[0]).masterSalt.length).toBe(12);
    const gcm256 = parse(`1 AEAD_AES_256_GCM inline:${Buffer.alloc(44, 7).toString('base64')}`);
    expect(keyMaterial('AEAD_AES_256_GCM', gcm256.keys[0]).masterKey.length).toBe(32);
    const cm256 = parse(`1 AES_256_CM_HMAC_SHA1_80 inline:${Buffer.alloc(46, 7).toString('base64')}`);
    expect(keyMaterial('AES_256_CM_HMAC_SHA1_80', cm256.keys[0]).masterSalt.length).toBe(14);
  });

  it.each([
    ['1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVe', /needs 30 bytes/],
    ['1 AES_CM_128_HMAC_SHA1_80 inline:!!!!', /base64|unexpected/],
    ['1 AES_CM_128_HMAC_SHA1_80 key:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', /must start with "inline:"/],
    ['1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:200', /outside 1 to 128/],
    ['1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20', /neither a lifetime/],
    ['1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', /at most 9 digits/],
    ['x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', /crypto tag/],
  ])('refuses %s', (value, reason) => {
    const c = parseCryptoAttribute(value);
    expect('error' in c && c.error).toMatch(reason);
  });
});
