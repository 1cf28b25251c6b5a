/**
 * AEADs (sim/crypto/aead.ts): AES-GCM against the test cases of the GCM
 * specification (McGrew and Viega, "The Galois/Counter Mode of Operation",
 * Appendix B, test cases 2–4 and 14–16), ChaCha20-Poly1305 against RFC 8439 §2.8.2.
 */
import { describe, expect, it } from 'vitest';
import { aeadOpen, aeadSeal, type AeadName } from '../../sim/crypto/aead';
import { fromHex, toHex, utf8 } from '../../sim/wire/bytes';

const K = 'feffe9928665731c6d6a8f9467308308';
const IV = 'cafebabefacedbaddecaf888';
const P64 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const P60 = P64.slice(0, 120);
const A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';

const cases: Array<{
  name: string;
  aead: AeadName;
  key: string;
  iv: string;
  p: string;
  a: string;
  c: string;
  t: string;
}> = [
  {
    name: 'test case 2',
    aead: 'aes-128-gcm',
    key: '00'.repeat(16),
    iv: '00'.repeat(12),
    p: '00'.repeat(16),
    a: '',
    c: '0388dace60b6a392f328c2b971b2fe78',
    t: 'ab6e47d42cec13bdf53a67b21257bddf',
  },
  {
    name: 'test case 3',
    aead: 'aes-128-gcm',
    key: K,
    iv: IV,
    p: P64,
    a: '',
    c: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985',
    t: '4d5c2af327cd64a62cf35abd2ba6fab4',
  },
  {
    name: 'test case 4 (with additional data)',
    aead: 'aes-128-gcm',
    key: K,
    iv: IV,
    p: P60,
    a: A,
    c: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
    t: '5bc94fbc3221a5db94fae95ae7121a47',
  },
  {
    name: 'test case 14',
    aead: 'aes-256-gcm',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    p: '00'.repeat(16),
    a: '',
    c: 'cea7403d4d606b6e074ec5d3baf39d18',
    t: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'test case 15',
    aead: 'aes-256-gcm',
    key: K + K,
    iv: IV,
    p: P64,
    a: '',
    c: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad',
    t: 'b094dac5d93471bdec1a502270e3cc6c',
  },
  {
    name: 'test case 16 (with additional data)',
    aead: 'aes-256-gcm',
    key: K + K,
    iv: IV,
    p: P60,
    a: A,
    c: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    t: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe('AES-GCM (the GCM specification, Appendix B)', () => {
  it.each(cases)('$name seals and opens', ({ aead, key, iv, p, a, c, t }) => {
    const sealed = aeadSeal(aead, fromHex(key), fromHex(iv), fromHex(p), fromHex(a));
    expect(toHex(sealed)).toBe(c + t);
    expect(toHex(aeadOpen(aead, fromHex(key), fromHex(iv), sealed, fromHex(a))!)).toBe(p);
  });

  it('a changed tag, ciphertext or additional data does not open', () => {
    const { key, iv, p, a } = cases[2];
    const sealed = aeadSeal('aes-128-gcm', fromHex(key), fromHex(iv), fromHex(p), fromHex(a));
    for (const at of [0, sealed.length - 1]) {
      const bent = sealed.slice();
      bent[at] ^= 1;
      expect(aeadOpen('aes-128-gcm', fromHex(key), fromHex(iv), bent, fromHex(a))).toBeUndefined();
    }
    expect(aeadOpen('aes-128-gcm', fromHex(key), fromHex(iv), sealed, fromHex('00'))).toBeUndefined();
    expect(aeadOpen('aes-128-gcm', fromHex(key), fromHex(iv), sealed.subarray(0, 15), fromHex(a))).toBeUndefined();
  });
});

describe('ChaCha20-Poly1305 (RFC 8439 §2.8.2)', () => {
  const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = fromHex('070000004041424344454647');
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = utf8(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const ciphertext =
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116';
  const tag = '1ae10b594f09e26a7e902ecbd0600691';

  it('seals the sunscreen example to the RFC’s ciphertext and tag, and opens it', () => {
    const sealed = aeadSeal('chacha20-poly1305', key, nonce, plaintext, aad);
    expect(toHex(sealed)).toBe(ciphertext + tag);
    expect(toHex(aeadOpen('chacha20-poly1305', key, nonce, sealed, aad)!)).toBe(toHex(plaintext));
    const bent = sealed.slice();
    bent[3] ^= 0x40;
    expect(aeadOpen('chacha20-poly1305', key, nonce, bent, aad)).toBeUndefined();
  });
});
