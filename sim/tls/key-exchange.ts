/**
 * The ephemeral (EC)DHE of a handshake (RFC 8446 §4.2.8, §7.4; RFC 8422 §5):
 * x25519 (RFC 7748) and secp256r1, computed by WebCrypto where the platform
 * has it, since a key share is a scalar multiplication that native code does
 * several times faster than bigint arithmetic, and otherwise by
 * crypto/key-agreement.ts (@noble/curves).
 *
 * The private key always comes from the run's RandomSource and is imported
 * into WebCrypto (PKCS #8, RFC 5208; RFC 8410 §7 for x25519, RFC 5915 for
 * P-256), so a seeded run gives the same bytes whichever path computed them.
 * A peer key that is not a valid point, or an x25519 result of all zeros
 * (RFC 7748 §6.1), gives undefined: the handshake answers illegal_parameter.
 */
import { p256 } from '@noble/curves/nist.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { sharedSecret, type GroupName, type KeyShare } from '../crypto/key-agreement';
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

/** A key share with the WebCrypto private key that computed it, when there is one. */
export interface EphemeralKeyShare extends KeyShare {
  cryptoKey?: CryptoKey;
}

function subtle(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle;
}

function b64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function createKeyShare(group: GroupName, random: RandomSource): Promise<EphemeralKeyShare> {
  const s = subtle();
  const privateKey = group === 'x25519' ? random.bytes(32) : p256.utils.randomSecretKey(random.bytes(48));
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
        group === 'x25519' ? b64url(jwk.x!) : concatBytes(Uint8Array.of(4), b64url(jwk.x!), b64url(jwk.y!));
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
