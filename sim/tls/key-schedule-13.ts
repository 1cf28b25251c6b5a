/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) and traffic keys (§7.3).
 *
 * 1. early_secret = HKDF-Extract(salt = 0, IKM = PSK or 0)
 * 2. handshake_secret = HKDF-Extract(Derive-Secret(early_secret, "derived", ""), (EC)DHE shared secret)
 * 3. [client|server]_handshake_traffic_secret = Derive-Secret(handshake_secret, "c hs traffic" | "s hs traffic", ClientHello..ServerHello)
 * 4. master_secret = HKDF-Extract(Derive-Secret(handshake_secret, "derived", ""), 0)
 * 5. [client|server]_application_traffic_secret_0 = Derive-Secret(master_secret, "c ap traffic" | "s ap traffic", ClientHello..server Finished)
 * 6. [sender]_write_key = HKDF-Expand-Label(secret, "key", "", key_length); [sender]_write_iv likewise with "iv"
 * 7. finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length);
 *    verify_data = HMAC(finished_key, Transcript-Hash(...)) (§4.4.4)
 *
 * Each value is reported through a `KeySink` with its inputs and the function.
 */
import { HASH_LENGTH, hash as digest, hkdfExpand, hkdfExtract, hmac, type HashName } from '../crypto/hash';
import { concatBytes, utf8 } from '../wire/bytes';
import type { KeySink } from './key-derivation';

/**
 * HKDF-Expand-Label (RFC 8446 §7.1):
 * struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; } HkdfLabel;
 */
export function hkdfExpandLabel(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const fullLabel = utf8(`tls13 ${label}`);
  const info = concatBytes(
    Uint8Array.of(length >> 8, length & 0xff, fullLabel.length),
    fullLabel,
    Uint8Array.of(context.length),
    context,
  );
  return hkdfExpand(hash, secret, info, length);
}

/** Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length). */
export function deriveSecret(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, HASH_LENGTH[hash]);
}

export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

const SPEC = 'RFC 8446 §7.1';

export class Tls13KeySchedule {
  private readonly zeros: Uint8Array;
  private handshakeSecret?: Uint8Array;
  private masterSecret?: Uint8Array;

  constructor(
    readonly hash: HashName,
    private readonly sink: KeySink = () => {},
  ) {
    this.zeros = new Uint8Array(HASH_LENGTH[hash]);
  }

  /** Steps 1–3: from the (EC)DHE shared secret and the hash of ClientHello..ServerHello. */
  handshake(sharedSecret: Uint8Array, helloHash: Uint8Array): { client: Uint8Array; server: Uint8Array } {
    const h = this.hash;
    const early = hkdfExtract(h, this.zeros, this.zeros);
    this.sink({
      name: 'early_secret',
      value: early,
      from: ['0 (no pre-shared key)'],
      how: 'HKDF-Extract(salt = 0, IKM = 0)',
      spec: SPEC,
    });
    const derived = deriveSecret(h, early, 'derived', digest(h, new Uint8Array(0)));
    this.sink({
      name: 'derived secret (for handshake_secret)',
      value: derived,
      from: ['early_secret'],
      how: 'Derive-Secret(early_secret, "derived", "")',
      spec: SPEC,
    });
    this.handshakeSecret = hkdfExtract(h, derived, sharedSecret);
    this.sink({
      name: 'handshake_secret',
      value: this.handshakeSecret,
      from: ['derived secret (for handshake_secret)', '(EC)DHE shared secret'],
      how: 'HKDF-Extract(salt = Derive-Secret(early_secret, "derived", ""), IKM = (EC)DHE shared secret)',
      spec: SPEC,
    });
    const client = this.derive(
      'client_handshake_traffic_secret',
      'handshake_secret',
      'c hs traffic',
      helloHash,
      'ClientHello..ServerHello',
    );
    const server = this.derive(
      'server_handshake_traffic_secret',
      'handshake_secret',
      's hs traffic',
      helloHash,
      'ClientHello..ServerHello',
    );
    return { client, server };
  }

  /** Steps 4–5: from the hash of ClientHello..server Finished. */
  application(handshakeHash: Uint8Array): { client: Uint8Array; server: Uint8Array; exporter: Uint8Array } {
    const h = this.hash;
    if (!this.handshakeSecret) throw new Error('application secrets asked for before the handshake secret');
    const derived = deriveSecret(h, this.handshakeSecret, 'derived', digest(h, new Uint8Array(0)));
    this.sink({
      name: 'derived secret (for master_secret)',
      value: derived,
      from: ['handshake_secret'],
      how: 'Derive-Secret(handshake_secret, "derived", "")',
      spec: SPEC,
    });
    this.masterSecret = hkdfExtract(h, derived, this.zeros);
    this.sink({
      name: 'master_secret',
      value: this.masterSecret,
      from: ['derived secret (for master_secret)'],
      how: 'HKDF-Extract(salt = Derive-Secret(handshake_secret, "derived", ""), IKM = 0)',
      spec: SPEC,
    });
    const range = 'ClientHello..server Finished';
    const client = this.derive(
      'client_application_traffic_secret_0',
      'master_secret',
      'c ap traffic',
      handshakeHash,
      range,
    );
    const server = this.derive(
      'server_application_traffic_secret_0',
      'master_secret',
      's ap traffic',
      handshakeHash,
      range,
    );
    const exporter = this.derive('exporter_master_secret', 'master_secret', 'exp master', handshakeHash, range);
    return { client, server, exporter };
  }

  /** Step 6: the write key and IV for one direction and epoch (§7.3). */
  trafficKeys(secretName: string, secret: Uint8Array, keyLength: number, epoch: string): TrafficKeys {
    const sender = secretName.startsWith('client') ? 'client' : 'server';
    const key = hkdfExpandLabel(this.hash, secret, 'key', new Uint8Array(0), keyLength);
    const iv = hkdfExpandLabel(this.hash, secret, 'iv', new Uint8Array(0), 12);
    this.sink({
      name: `${sender}_write_key (${epoch})`,
      value: key,
      from: [secretName],
      how: `HKDF-Expand-Label(${secretName}, "key", "", ${keyLength})`,
      spec: 'RFC 8446 §7.3',
    });
    this.sink({
      name: `${sender}_write_iv (${epoch})`,
      value: iv,
      from: [secretName],
      how: `HKDF-Expand-Label(${secretName}, "iv", "", 12)`,
      spec: 'RFC 8446 §7.3',
    });
    return { key, iv };
  }

  /** Step 7: the Finished value over a transcript hash (§4.4.4). */
  finished(baseKeyName: string, baseKey: Uint8Array, transcriptHash: Uint8Array, range: string): Uint8Array {
    const finishedKey = hkdfExpandLabel(this.hash, baseKey, 'finished', new Uint8Array(0), HASH_LENGTH[this.hash]);
    const sender = baseKeyName.startsWith('client') ? 'client' : 'server';
    this.sink({
      name: `finished_key (${sender})`,
      value: finishedKey,
      from: [baseKeyName],
      how: `HKDF-Expand-Label(${baseKeyName}, "finished", "", ${HASH_LENGTH[this.hash]})`,
      spec: 'RFC 8446 §4.4.4',
    });
    const verifyData = hmac(this.hash, finishedKey, transcriptHash);
    this.sink({
      name: `verify_data (${sender} Finished)`,
      value: verifyData,
      from: [`finished_key (${sender})`, `Transcript-Hash(${range})`],
      how: `HMAC(finished_key, Transcript-Hash(${range}))`,
      spec: 'RFC 8446 §4.4.4',
    });
    return verifyData;
  }

  private derive(name: string, fromName: string, label: string, transcriptHash: Uint8Array, range: string): Uint8Array {
    const base = fromName === 'handshake_secret' ? this.handshakeSecret! : this.masterSecret!;
    const value = deriveSecret(this.hash, base, label, transcriptHash);
    this.sink({
      name,
      value,
      from: [fromName, `Transcript-Hash(${range})`],
      how: `HKDF-Expand-Label(${fromName}, "${label}", Transcript-Hash(${range}), ${HASH_LENGTH[this.hash]})`,
      spec: SPEC,
    });
    return value;
  }
}
