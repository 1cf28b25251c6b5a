/**
 * SRTP against published test vectors, each cited where it is printed:
 * RFC 3711 Appendix B.2 and B.3, RFC 6188 §7.1 and §7.2, RFC 7714 §16 and §17,
 * and the reference packets libsrtp validates itself against
 * (cisco/libsrtp test/srtp_driver.c: srtp_validate, srtp_validate_aes_256,
 * srtp_validate_gcm).
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../sim/wire';
import { AesCounterMode } from '../../sim/rtp/aes-cm';
import { deriveSrtpKey, deriveSrtpSessionKeys, SRTP_LABEL } from '../../sim/rtp/srtp-key-derivation';
import { SRTP_SUITES } from '../../sim/rtp/srtp-suite';
import { SrtpContext } from '../../sim/rtp/srtp-context';
import { SrtpTransform } from '../../sim/rtp/srtp-transform';

describe('RFC 3711 Appendix B.2: AES-CM keystream', () => {
  it('matches the first three and last three blocks of the 0xff02-block keystream', () => {
    // Session key and salt of B.2; SSRC and index are zero, so IV = salt · 2^16.
    const cipher = new AesCounterMode(fromHex('2B7E151628AED2A6ABF7158809CF4F3C'));
    const iv = fromHex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000');
    const ks = cipher.keystream(iv, 0xff02 * 16);
    expect(toHex(ks.subarray(0, 48)).toUpperCase()).toBe(
      'E03EAD0935C95E80E166B16DD92B4EB4' + 'D23513162B02D0F72A43A2FE4A5F97AB' + '41E95B3BB0A2E8DD477901E4FCA894C0',
    );
    expect(toHex(ks.subarray(0xfeff * 16)).toUpperCase()).toBe(
      'EC8CDF7398607CB0F2D21675EA9EA1E4' + '362B7C3C6773516318A077D7FC5073AE' + '6A2CC3787889374FBEB4C81B17BA6C44',
    );
  });
});

describe('RFC 3711 Appendix B.3: key derivation', () => {
  const masterKey = fromHex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = fromHex('0EC675AD498AFEEBB6960B3AABE6');

  it('derives the cipher key, cipher salt and authentication key the appendix lists', () => {
    const prf = new AesCounterMode(masterKey);
    expect(toHex(deriveSrtpKey(prf, masterSalt, SRTP_LABEL.srtpEncryption, 16)).toUpperCase()).toBe(
      'C61E7A93744F39EE10734AFE3FF7A087',
    );
    expect(toHex(deriveSrtpKey(prf, masterSalt, SRTP_LABEL.srtpSalt, 14)).toUpperCase()).toBe(
      '30CBBC08863D8C85D49DB34A9AE1',
    );
    // B.3 prints 94 bytes of the authentication key stream.
    expect(toHex(deriveSrtpKey(prf, masterSalt, SRTP_LABEL.srtpAuthentication, 94)).toUpperCase()).toBe(
      'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE' +
        'E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25' +
        '6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2',
    );
  });

  it('gives AES_CM_128_HMAC_SHA1_80 its 160-bit authentication key', () => {
    const keys = deriveSrtpSessionKeys(SRTP_SUITES.AES_CM_128_HMAC_SHA1_80, masterKey, masterSalt);
    expect(toHex(keys.srtp.encryptionKey)).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(toHex(keys.srtp.authenticationKey)).toBe('cebe321f6ff7716b6fd4ab49af256a156d38baa4');
    expect(toHex(keys.srtp.salt)).toBe('30cbbc08863d8c85d49db34a9ae1');
  });
});

describe('RFC 6188 §7: AES-256 counter mode and key derivation', () => {
  it('§7.1: the AES-256-CM keystream', () => {
    const cipher = new AesCounterMode(fromHex('57f82fe3613fd170a85ec93c40b1f0922ec4cb0dc025b58272147cc438944a98'));
    const ks = cipher.keystream(fromHex('f0f1f2f3f4f5f6f7f8f9fafbfcfd0000'), 0xff02 * 16);
    expect(toHex(ks.subarray(0, 48))).toBe(
      '92bdd28a93c3f52511c677d08b5515a49da71b2378a854f67050756ded165bac63c4868b7096d88421b563b8c94c9a31',
    );
    expect(toHex(ks.subarray(ks.length - 48))).toBe(
      'cea518c90fd91ced9cbb18c078a547113dbc4814f4da5f00a08772b63c6a046d6eb246913062a16891433e97dd01a57f',
    );
  });

  it('§7.2: the AES_256_CM_PRF session keys', () => {
    const keys = deriveSrtpSessionKeys(
      SRTP_SUITES.AES_256_CM_HMAC_SHA1_80,
      fromHex('f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6'),
      fromHex('3b04803de51ee7c96423ab5b78d2'),
    );
    expect(toHex(keys.srtp.encryptionKey)).toBe('5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4');
    expect(toHex(keys.srtp.salt)).toBe('fa31791685ca444a9e07c6c64e93');
    expect(toHex(keys.srtp.authenticationKey)).toBe('fd9c32d39ed5fbb5a9dc96b30818454d1313dc05');
  });
});

/** RFC 7714's vectors start from session keys, below the key derivation. */
function gcmTransform(name: 'AEAD_AES_128_GCM' | 'AEAD_AES_256_GCM', key: string, tagLength = 16) {
  return new SrtpTransform(
    SRTP_SUITES[name],
    { encryptionKey: fromHex(key), authenticationKey: new Uint8Array(0), salt: fromHex('517569642070726f2071756f') },
    tagLength,
  );
}

describe('RFC 7714 §16: SRTP with AES-GCM', () => {
  const header = fromHex('8040f17b8041f8d35501a0b2');
  const payload = fromHex('47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573');

  it('§16.1.1/§16.1.2: AEAD_AES_128_GCM encrypts "Gallia est omnis divisa in partes tres" and decrypts it back', () => {
    const t = gcmTransform('AEAD_AES_128_GCM', '000102030405060708090a0b0c0d0e0f');
    const sealed = t.sealSrtp(0x5501a0b2, 0, 0xf17b, header, payload);
    expect(toHex(sealed)).toBe(
      'f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833' +
        '899d7f27beb16a9152cf765ee4390cce',
    );
    expect(toHex(t.openSrtp(0x5501a0b2, 0, 0xf17b, header, sealed)!)).toBe(toHex(payload));
  });

  it('§16.2.1/§16.2.2: AEAD_AES_256_GCM', () => {
    const t = gcmTransform('AEAD_AES_256_GCM', '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const sealed = t.sealSrtp(0x5501a0b2, 0, 0xf17b, header, payload);
    expect(toHex(sealed)).toBe(
      '32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13',
    );
    expect(t.openSrtp(0x5501a0b2, 0, 0xf17b, header, sealed)).toEqual(payload);
  });
});

describe('RFC 7714 §17: SRTCP with AES-GCM', () => {
  // The packet §17.1–§17.4 encrypt (SSRC "Mars"), SRTCP index 0x5d4.
  const rtcp = fromHex(
    '81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
  );
  const cases = [
    {
      section: '§17.1',
      suite: 'AEAD_AES_128_GCM' as const,
      key: '000102030405060708090a0b0c0d0e0f',
      protectedHex:
        '81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4',
    },
    {
      section: '§17.2',
      suite: 'AEAD_AES_256_GCM' as const,
      key: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      protectedHex:
        '81c8000d4d617273d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4',
    },
  ];
  for (const c of cases) {
    it(`${c.section}: ${c.suite} encrypted SRTCP`, () => {
      const t = gcmTransform(c.suite, c.key);
      const trailer = fromHex('800005d4');
      const aad = new Uint8Array([...rtcp.subarray(0, 8), ...trailer]);
      const sealed = t.sealSrtcp(0x4d617273, 0x5d4, aad, rtcp.subarray(8));
      expect(toHex(new Uint8Array([...rtcp.subarray(0, 8), ...sealed, ...trailer]))).toBe(c.protectedHex);
    });
  }

  it('§17.3: tagged but not encrypted (E = 0): the whole packet is associated data', () => {
    const t = gcmTransform('AEAD_AES_128_GCM', '000102030405060708090a0b0c0d0e0f');
    const trailer = fromHex('000005d4');
    const tag = t.sealSrtcp(0x4d617273, 0x5d4, new Uint8Array([...rtcp, ...trailer]), new Uint8Array(0));
    expect(toHex(tag)).toBe('841dd9683dd78ec92ae58790125f62b3');
  });
});

describe('libsrtp reference packets (cisco/libsrtp test/srtp_driver.c)', () => {
  // test_key in srtp_driver.c; the 128-bit suites use its first 30 bytes.
  const testKey = fromHex('e1f97a0d3e018be0d64fa32c06de41390ec675ad498afeebb6960b3aabe6');
  const plaintext = fromHex('800f1234decafbadcafebabe' + 'ab'.repeat(16));

  it('srtp_validate: AES_CM_128_HMAC_SHA1_80 protects and unprotects the reference packet', () => {
    const sender = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', testKey);
    const expected = '800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb';
    expect(toHex(sender.protect(plaintext))).toBe(expected);
    const receiver = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', testKey);
    const r = receiver.unprotect(fromHex(expected));
    expect(r.ok && toHex(r.packet)).toBe(toHex(plaintext));
  });

  it('srtp_validate_aes_256: AES_256_CM_HMAC_SHA1_80 with the RFC 6188 key', () => {
    const key = fromHex('f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b63b04803de51ee7c96423ab5b78d2');
    const expected = '800f1234decafbadcafebabef1d9de17ff251ff1aa007774b0b4b40da08d9d9a5b3a55d8873b';
    expect(toHex(SrtpContext.fromKeySalt('AES_256_CM_HMAC_SHA1_80', key).protect(plaintext))).toBe(expected);
    const r = SrtpContext.fromKeySalt('AES_256_CM_HMAC_SHA1_80', key).unprotect(fromHex(expected));
    expect(r.ok && toHex(r.packet)).toBe(toHex(plaintext));
  });

  it('srtp_validate_gcm: AEAD_AES_128_GCM from a master key, SRTP and SRTCP (through the erratum 4938 salt)', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0fa0a1a2a3a4a5a6a7a8a9aaab');
    const srtpExpected = '800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392';
    const rtcp = fromHex('81c8000bcafebabe' + 'ab'.repeat(16));
    const srtcpExpected = '81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001';
    const sender = SrtpContext.fromKeySalt('AEAD_AES_128_GCM', key);
    expect(toHex(sender.protect(plaintext))).toBe(srtpExpected);
    // libsrtp counts its SRTCP index from 1; RFC 3711 §3.4 starts at 0, so the vector's index is given.
    expect(toHex(sender.protectRtcp(rtcp, { index: 1 }))).toBe(srtcpExpected);
    const receiver = SrtpContext.fromKeySalt('AEAD_AES_128_GCM', key);
    const r = receiver.unprotect(fromHex(srtpExpected));
    expect(r.ok && toHex(r.packet)).toBe(toHex(plaintext));
    const rc = receiver.unprotectRtcp(fromHex(srtcpExpected));
    expect(rc.ok && toHex(rc.packet)).toBe(toHex(rtcp));
  });
});
