/**
 * AES modes (sim/crypto/cipher.ts) against FIPS 197 Appendix C and NIST SP
 * 800-38A Appendix F (F.2.1/F.2.5 CBC, F.5.1/F.5.5 CTR).
 */
import { describe, expect, it } from 'vitest';
import { aesCbcDecrypt, aesCbcEncrypt, aesCtr } from '../../sim/crypto/cipher';
import { fromHex, toHex } from '../../sim/wire/bytes';

const SP800_38A_PLAINTEXT = fromHex(
  '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710',
);
const KEY_128 = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
const KEY_256 = fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
const IV = fromHex('000102030405060708090a0b0c0d0e0f');
const COUNTER = fromHex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');

describe('AES block cipher (FIPS 197 Appendix C), as one CBC block under a zero IV', () => {
  it.each([
    ['C.1 AES-128', '000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
    [
      'C.3 AES-256',
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      '8ea2b7ca516745bfeafc49904b496089',
    ],
  ])('%s', (_name, key, ciphertext) => {
    const block = fromHex('00112233445566778899aabbccddeeff');
    expect(toHex(aesCbcEncrypt(fromHex(key), new Uint8Array(16), block))).toBe(ciphertext);
    expect(toHex(aesCbcDecrypt(fromHex(key), new Uint8Array(16), fromHex(ciphertext)))).toBe(toHex(block));
  });
});

describe('AES-CBC without padding (SP 800-38A F.2)', () => {
  it.each([
    [
      'F.2.1 CBC-AES128',
      KEY_128,
      '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7',
    ],
    [
      'F.2.5 CBC-AES256',
      KEY_256,
      'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b',
    ],
  ])('%s encrypts and decrypts', (_name, key, ciphertext) => {
    expect(toHex(aesCbcEncrypt(key, IV, SP800_38A_PLAINTEXT))).toBe(ciphertext);
    expect(toHex(aesCbcDecrypt(key, IV, fromHex(ciphertext)))).toBe(toHex(SP800_38A_PLAINTEXT));
  });
});

describe('AES-CTR (SP 800-38A F.5), the core of SRTP AES-CM (RFC 3711 §4.1.1)', () => {
  it.each([
    [
      'F.5.1 CTR-AES128',
      KEY_128,
      '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee',
    ],
    [
      'F.5.5 CTR-AES256',
      KEY_256,
      '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6',
    ],
  ])('%s, and decryption is the same operation', (_name, key, ciphertext) => {
    expect(toHex(aesCtr(key, COUNTER, SP800_38A_PLAINTEXT))).toBe(ciphertext);
    expect(toHex(aesCtr(key, COUNTER, fromHex(ciphertext)))).toBe(toHex(SP800_38A_PLAINTEXT));
  });

  it('a partial final block uses the first bytes of the keystream', () => {
    expect(toHex(aesCtr(KEY_128, COUNTER, SP800_38A_PLAINTEXT.subarray(0, 20)))).toBe(
      '874d6191b620e3261bef6864990db6ce9806f66b',
    );
  });
});
