/**
 * RSA-2048 operations (sim/crypto/rsa.ts) per second, beside node:crypto
 * (OpenSSL) doing the same operation in the same run.
 *
 * In Node the engine computes RSA's private-key operation with OpenSSL's raw
 * RSA and verifies through node:crypto (crypto/native.ts), with the PSS salt
 * and the encryption padding still drawn from the run's seed. A browser has
 * no raw RSA: there, PSS signing and PKCS #1 v1.5 decryption are bigint CRT
 * arithmetic with a sliding window, and the rows marked "browser path"
 * measure that path in Node (its V8 bigints are the same as Chromium's).
 */
import { constants, createPrivateKey, privateDecrypt, publicEncrypt, sign, verify } from 'node:crypto';
import { parsePrivateKeyPem } from '../../sim/pki/keys';
import { DEMO_RSA_KEYS } from '../../sim/pki/fixtures/demo-rsa-keys';
import {
  rsaPkcs1Decrypt,
  rsaPkcs1Encrypt,
  rsaPkcs1Sign,
  rsaPkcs1Verify,
  rsaPssSign,
  rsaPssVerify,
} from '../../sim/crypto/rsa';
import { HmacDrbg } from '../../sim/crypto/random';
import { useNativeCrypto } from '../../sim/crypto/native';
import { measureRate, printTable } from './measure';

export default async function bench(): Promise<void> {
  const parsed = parsePrivateKeyPem(DEMO_RSA_KEYS.sbc);
  if (parsed.kind !== 'rsa') throw new Error('the demo SBC key is RSA');
  const key = parsed.key;
  const nodeKey = createPrivateKey(DEMO_RSA_KEYS.sbc);
  const message = new Uint8Array(128).fill(7); // about a TLS 1.3 CertificateVerify input
  const random = HmacDrbg.fromSeed(1);
  const pkcs1 = await rsaPkcs1Sign(key, 'sha256', message);
  const pss = await rsaPssSign(key, 'sha256', message, random);
  const premaster = new Uint8Array(48).fill(3);
  const ciphertext = await rsaPkcs1Encrypt(key, premaster, random);
  const pssOptions = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const rows: Array<Record<string, string | number>> = [];
  const row = async (operation: string, ours: () => unknown, peer: () => unknown, peerName: string) => {
    const a = await measureRate(ours, { budgetMs: 1000 });
    const b = await measureRate(peer, { budgetMs: 1000 });
    rows.push({
      operation,
      'ours ops/s': a.perSecond,
      [`peer ops/s`]: b.perSecond,
      peer: peerName,
      'ours / peer': a.perSecond / b.perSecond,
    });
  };
  await row(
    'PKCS#1 v1.5 sign SHA-256',
    () => rsaPkcs1Sign(key, 'sha256', message),
    () => sign('sha256', message, nodeKey),
    'node sign',
  );
  await row(
    'PKCS#1 v1.5 verify',
    () => rsaPkcs1Verify(key, 'sha256', message, pkcs1),
    () => verify('sha256', message, nodeKey, pkcs1),
    'node verify',
  );
  await row(
    'PSS sign SHA-256 (seeded salt)',
    () => rsaPssSign(key, 'sha256', message, random),
    () => sign('sha256', message, { key: nodeKey, ...pssOptions }),
    'node sign PSS',
  );
  await row(
    'PSS verify',
    () => rsaPssVerify(key, 'sha256', message, pss),
    () => verify('sha256', message, { key: nodeKey, ...pssOptions }, pss),
    'node verify PSS',
  );
  await row(
    'PKCS#1 v1.5 encrypt (seeded padding)',
    () => rsaPkcs1Encrypt(key, premaster, random),
    () => publicEncrypt({ key: nodeKey, padding: constants.RSA_PKCS1_PADDING }, premaster),
    'node publicEncrypt',
  );
  await row(
    'PKCS#1 v1.5 decrypt',
    () => rsaPkcs1Decrypt(key, ciphertext),
    () => privateDecrypt({ key: nodeKey, padding: constants.RSA_NO_PADDING }, ciphertext),
    'node raw RSA decrypt',
  );
  useNativeCrypto(false);
  try {
    await row(
      'PSS sign, browser path (bigint CRT)',
      () => rsaPssSign(key, 'sha256', message, random),
      () => sign('sha256', message, { key: nodeKey, ...pssOptions }),
      'node sign PSS',
    );
    await row(
      'PKCS#1 v1.5 decrypt, browser path',
      () => rsaPkcs1Decrypt(key, ciphertext),
      () => privateDecrypt({ key: nodeKey, padding: constants.RSA_NO_PADDING }, ciphertext),
      'node raw RSA decrypt',
    );
  } finally {
    useNativeCrypto(true);
  }
  printTable(rows);
}
