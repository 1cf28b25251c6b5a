/**
 * The ephemeral (EC)DHE of a handshake (RFC 8446 §4.2.8, §7.4; RFC 8422 §5):
 * x25519 (RFC 7748) and secp256r1, computed by the platform where it can,
 * since a key share is a scalar multiplication that native code does many
 * times faster than bigint arithmetic, and otherwise by crypto/key-agreement.ts
 * (@noble/curves):
 *
 * 1. In Node, node:crypto's synchronous calls (crypto/native.ts): `createECDH`
 *    for P-256; for x25519 a key object from the private key alone, whose
 *    public key OpenSSL computes as X25519(k, 9) (RFC 7748 §6.1).
 * 2. In a browser, WebCrypto, with the private key imported as PKCS #8
 *    (RFC 5208; RFC 8410 §7 for x25519, RFC 5915 for P-256).
 *
 * The private key always comes from the run's RandomSource, so a seeded run
 * gives the same bytes whichever path computed them. A peer key that is not a
 * valid point, or an x25519 result of all zeros (RFC 7748 §6.1), gives
 * undefined: the handshake answers illegal_parameter.
 */
import type { ECDH, KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { sharedSecret, type GroupName, type KeyShare } from '../crypto/key-agreement';
import { base64url, fromBase64url } from '../crypto/jwk';
import { nativeCrypto } from '../crypto/native';
import type { RandomSource } from '../crypto/random';
import { concatBytes, fromHex } from '../wire/bytes';

/** PKCS #8 PrivateKeyInfo prefixes before the 32-byte private key. */
const PKCS8_PREFIX: Record<GroupName, Uint8Array> = {
  // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.110 (X25519) }, OCTET STRING { OCTET STRING (32) } }
  x25519: fromHex('302e020100300506032b656e04220420'),
  // SEQUENCE { INTEGER 0, SEQUENCE { id-ecPublicKey, prime256v1 }, OCTET STRING { ECPrivateKey { 1, OCTET STRING (32) } } }
  secp256r1: fromHex('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420'),
};

const ALGORITHM: Record<GroupName, EcKeyImportParams | Algorithm> = {
  x25519: { name: 'X25519' },
  secp256r1: { name: 'ECDH', namedCurve: 'P-256' },
};

/** A key share with the platform's private key that computed it, when there is one. */
export interface EphemeralKeyShare extends KeyShare {
  cryptoKey?: CryptoKey;
  native?: { ecdh: ECDH } | { x25519: KeyObject };
}

/** node:crypto's key share, or undefined when it cannot make one (outside Node, or a group OpenSSL lacks). */
function nativeKeyShare(group: GroupName, privateKey: Uint8Array): EphemeralKeyShare | undefined {
  const native = nativeCrypto();
  if (!native) return undefined;
  try {
    if (group === 'secp256r1') {
      const ecdh = native.createECDH('prime256v1');
      ecdh.setPrivateKey(privateKey);
      return { group, privateKey, publicKey: new Uint8Array(ecdh.getPublicKey()), native: { ecdh } };
    }
    // node:crypto reads a JWK private key from `d` alone (OpenSSL's raw private key, whose public key
    // X25519(k, 9) OpenSSL computes, RFC 7748 §6.1); `x` must be present, and a placeholder is given.
    // Were it taken as the public key instead, the all-zero placeholder would come back: refused below.
    const placeholder = base64url(new Uint8Array(32));
    const key = native.createPrivateKey({
      key: { kty: 'OKP', crv: 'X25519', d: base64url(privateKey), x: placeholder },
      format: 'jwk',
    });
    const x = native.createPublicKey(key).export({ format: 'jwk' }).x;
    if (!x || x === placeholder) return undefined;
    return { group, privateKey, publicKey: fromBase64url(x), native: { x25519: key } };
  } catch {
    return undefined;
  }
}

/** The shared secret by node:crypto; undefined for a peer key that is not a valid point. */
function nativeSharedSecret(
  mine: NonNullable<EphemeralKeyShare['native']>,
  peerPublicKey: Uint8Array,
): Uint8Array | undefined {
  const native = nativeCrypto()!;
  try {
    if ('ecdh' in mine) {
      if (peerPublicKey.length !== 65 || peerPublicKey[0] !== 4) return undefined;
      return new Uint8Array(mine.ecdh.computeSecret(peerPublicKey));
    }
    if (peerPublicKey.length !== 32) return undefined;
    const peer = native.createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: base64url(peerPublicKey) },
      format: 'jwk',
    });
    const secret = new Uint8Array(native.diffieHellman({ privateKey: mine.x25519, publicKey: peer }));
    // RFC 7748 §6.1: an all-zero output means a low-order point; reject it.
    return secret.some((b) => b !== 0) ? secret : undefined;
  } catch {
    return undefined;
  }
}

function subtle(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle;
}

export async function createKeyShare(group: GroupName, random: RandomSource): Promise<EphemeralKeyShare> {
  const s = subtle();
  const privateKey = group === 'x25519' ? random.bytes(32) : p256.utils.randomSecretKey(random.bytes(48));
  const native = nativeKeyShare(group, privateKey);
  if (native) return native;
  if (s) {
    try {
      const cryptoKey = await s.importKey(
        'pkcs8',
        concatBytes(PKCS8_PREFIX[group], privateKey) as BufferSource,
        ALGORITHM[group],
        true,
        ['deriveBits'],
      );
      const jwk = await s.exportKey('jwk', cryptoKey);
      const publicKey =
        group === 'x25519'
          ? fromBase64url(jwk.x!)
          : concatBytes(Uint8Array.of(4), fromBase64url(jwk.x!), fromBase64url(jwk.y!));
      return { group, privateKey, publicKey, cryptoKey };
    } catch {
      // No X25519 in this platform's WebCrypto: compute it in JavaScript below.
    }
  }
  return {
    group,
    privateKey,
    publicKey: group === 'x25519' ? x25519.getPublicKey(privateKey) : p256.getPublicKey(privateKey, false),
  };
}

export async function computeSharedSecret(
  share: EphemeralKeyShare,
  peerPublicKey: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (share.native) return nativeSharedSecret(share.native, peerPublicKey);
  const s = subtle();
  if (s && share.cryptoKey) {
    if (share.group === 'x25519' ? peerPublicKey.length !== 32 : peerPublicKey.length !== 65 || peerPublicKey[0] !== 4)
      return undefined;
    try {
      const peer = await s.importKey('raw', peerPublicKey as BufferSource, ALGORITHM[share.group], false, []);
      const bits = new Uint8Array(
        await s.deriveBits(
          { name: ALGORITHM[share.group].name, public: peer } as EcdhKeyDeriveParams,
          share.cryptoKey,
          256,
        ),
      );
      return bits.some((b) => b !== 0) ? bits : undefined;
    } catch {
      return undefined;
    }
  }
  return sharedSecret(share, peerPublicKey);
}
