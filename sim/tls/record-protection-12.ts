/**
 * TLS 1.2 record protection.
 *
 * AES-GCM (RFC 5246 §6.2.3.3, RFC 5288 §3):
 * 1. nonce = salt (4 bytes from the key block) || nonce_explicit (8 bytes, sent in
 *    the record; here the sequence number, which is unique per key as RFC 5288 §3 requires).
 * 2. additional_data = seq_num || type || version || length (of the plaintext).
 * 3. The record carries nonce_explicit || AEAD-Encrypt(key, nonce, plaintext, additional_data).
 *
 * AES-CBC with HMAC, MAC-then-encrypt (RFC 5246 §6.2.3.1–6.2.3.2):
 * 1. MAC = HMAC(MAC_write_key, seq_num || type || version || length || content).
 * 2. Pad content || MAC to a whole number of blocks: padding_length + 1 bytes, each padding_length.
 * 3. The record carries a fresh random IV || AES-CBC(write_key, IV, content || MAC || padding).
 * A receiver that finds bad padding or a bad MAC answers bad_record_mac either way,
 * so that the two failures cannot be told apart (RFC 5246 §6.2.3.2, the Vaudenay/Lucky 13 lesson).
 */
import { AEAD_TAG_LENGTH, aeadKey, type AeadKey, type AeadName } from '../crypto/aead';
import { aesCbcDecrypt, aesCbcEncrypt } from '../crypto/cipher';
import { hmacKey, type HashName, type HmacKey } from '../crypto/hash';
import type { RandomSource } from '../crypto/random';
import { ByteWriter } from '../wire/writer';
import { concatBytes, equalBytes, toHex } from '../wire/bytes';
import type { Field } from '../wire/field';
import { describeContentType } from './codepoints';
import { fail } from './alert';
import {
  MAX_CIPHERTEXT_12,
  MAX_PLAINTEXT,
  RECORD_HEADER_LENGTH,
  writeRecordHeader,
  type Encoded,
  type RawRecord,
} from './record';
import { sequenceBytes, type OpenedRecord, type RecordCipher, type SealedRecord } from './record-cipher';

const RECORD_VERSION = 0x0303;

function macInput(seq: bigint, type: number, version: number, content: Uint8Array): Uint8Array {
  return concatBytes(
    sequenceBytes(seq),
    Uint8Array.of(type, version >> 8, version & 0xff, content.length >> 8, content.length & 0xff),
    content,
  );
}

function plainLayer(title: string, bytes: Uint8Array, fields: Field[]) {
  return { title, bytes: toHex(bytes), fields };
}

export class Tls12GcmCipher implements RecordCipher {
  readonly encrypted = true;
  private seq = 0n;
  /** The write key, prepared once for every record of the connection. */
  private readonly cipher: AeadKey;

  constructor(
    aead: AeadName,
    key: Uint8Array,
    private readonly salt: Uint8Array,
    readonly epoch: string,
  ) {
    this.cipher = aeadKey(aead, key);
  }

  seal(type: number, content: Encoded): SealedRecord {
    const seq = this.seq++;
    const explicit = sequenceBytes(seq);
    const aad = macInput(seq, type, RECORD_VERSION, content.bytes).subarray(0, 13);
    const sealed = this.cipher.seal(concatBytes(this.salt, explicit), content.bytes, aad);
    const wire = this.wire(type, RECORD_VERSION, explicit, sealed, seq);
    return { ...wire, decoded: plainLayer('TLS 1.2 record plaintext', content.bytes, content.fields) };
  }

  open(record: RawRecord): OpenedRecord {
    const f = record.fragment;
    if (f.length > MAX_CIPHERTEXT_12) throw fail('record_overflow', `a record of ${f.length} bytes`);
    if (f.length < 8 + AEAD_TAG_LENGTH) {
      throw fail('bad_record_mac', `a ${f.length}-byte GCM record is too short for its nonce and tag`);
    }
    const seq = this.seq;
    const explicit = f.subarray(0, 8);
    const plainLength = f.length - 8 - AEAD_TAG_LENGTH;
    const aad = concatBytes(
      sequenceBytes(seq),
      Uint8Array.of(record.type, record.version >> 8, record.version & 0xff, plainLength >> 8, plainLength & 0xff),
    );
    const content = this.cipher.open(concatBytes(this.salt, explicit), f.subarray(8), aad);
    if (!content) throw fail('bad_record_mac', `record #${seq} under the ${this.epoch} keys failed authentication`);
    if (content.length > MAX_PLAINTEXT)
      throw fail('record_overflow', `a record carried ${content.length} bytes of content`);
    this.seq++;
    return {
      type: record.type,
      content,
      describe: (contentFields) => ({
        ...this.wire(record.type, record.version, explicit, f.subarray(8), seq),
        decoded: plainLayer('TLS 1.2 record plaintext', content, contentFields),
      }),
    };
  }

  private wire(type: number, version: number, explicit: Uint8Array, sealed: Uint8Array, seq: bigint): Encoded {
    const w = new ByteWriter(RECORD_HEADER_LENGTH + 8 + sealed.length);
    const done = w.group({
      name: 'TLSCiphertext',
      layer: 'tls-record',
      value: `${describeContentType(type)}, protected record #${seq}`,
      spec: 'RFC 5246 §6.2.3.3',
    });
    writeRecordHeader(w, type, version, 8 + sealed.length);
    const body = w.group({ name: 'GenericAEADCipher', spec: 'RFC 5246 §6.2.3.3' });
    w.bytes(explicit, {
      name: 'nonce_explicit',
      value: toHex(explicit),
      note: "The record's part of the GCM nonce (here its sequence number); the 4-byte salt from the key block is the rest.",
      spec: 'RFC 5288 §3',
    });
    w.bytes(sealed.subarray(0, sealed.length - AEAD_TAG_LENGTH), {
      name: 'ciphertext',
      value: `${sealed.length - AEAD_TAG_LENGTH} bytes`,
      note: 'AES-GCM encryption of the content. In TLS 1.2 the content type stays visible in the header.',
      spec: 'RFC 5246 §6.2.3.3',
    });
    w.bytes(sealed.subarray(sealed.length - AEAD_TAG_LENGTH), {
      name: 'authentication tag',
      value: toHex(sealed.subarray(sealed.length - AEAD_TAG_LENGTH)),
      note: 'GCM tag over the content and additional_data (sequence number, type, version, length).',
      spec: 'RFC 5288 §3',
    });
    body();
    done();
    return w.finish();
  }
}

export class Tls12CbcCipher implements RecordCipher {
  readonly encrypted = true;
  private seq = 0n;
  private readonly mac: HmacKey;

  constructor(
    private readonly key: Uint8Array,
    macKey: Uint8Array,
    private readonly macHash: HashName,
    private readonly macLength: number,
    private readonly random: RandomSource,
    readonly epoch: string,
  ) {
    this.mac = hmacKey(macHash, macKey);
  }

  seal(type: number, content: Encoded): SealedRecord {
    const seq = this.seq++;
    const mac = this.mac.mac(macInput(seq, type, RECORD_VERSION, content.bytes));
    const unpadded = content.bytes.length + mac.length + 1;
    const paddingLength = (16 - (unpadded % 16)) % 16;
    const plain = new Uint8Array(unpadded + paddingLength);
    plain.set(content.bytes);
    plain.set(mac, content.bytes.length);
    plain.fill(paddingLength, content.bytes.length + mac.length);
    const iv = this.random.bytes(16);
    const ciphertext = aesCbcEncrypt(this.key, iv, plain);
    return {
      ...this.wire(type, RECORD_VERSION, iv, ciphertext, seq),
      decoded: this.layer(plain, content.bytes.length, content.fields, paddingLength),
    };
  }

  open(record: RawRecord): OpenedRecord {
    const f = record.fragment;
    if (f.length > MAX_CIPHERTEXT_12) throw fail('record_overflow', `a record of ${f.length} bytes`);
    const seq = this.seq;
    const minimum = 16 + Math.ceil((this.macLength + 1) / 16) * 16;
    if (f.length < minimum || f.length % 16 !== 0) {
      throw fail('bad_record_mac', `a ${f.length}-byte CBC record is not a whole number of blocks after its IV`);
    }
    const iv = f.subarray(0, 16);
    const plain = aesCbcDecrypt(this.key, iv, f.subarray(16));
    const paddingLength = plain[plain.length - 1];
    // Check the padding and the MAC both before deciding, and report one alert for either.
    let goodPadding = paddingLength + 1 + this.macLength <= plain.length;
    const contentLength = goodPadding ? plain.length - paddingLength - 1 - this.macLength : 0;
    for (let i = plain.length - 1 - paddingLength; goodPadding && i < plain.length; i++) {
      if (plain[i] !== paddingLength) goodPadding = false;
    }
    const content = plain.slice(0, contentLength);
    const expected = this.mac.mac(macInput(seq, record.type, record.version, content));
    const received = plain.subarray(contentLength, contentLength + this.macLength);
    if (!goodPadding || !equalBytes(expected, received)) {
      throw fail('bad_record_mac', `record #${seq} under the ${this.epoch} keys failed its padding or MAC check`);
    }
    if (content.length > MAX_PLAINTEXT)
      throw fail('record_overflow', `a record carried ${content.length} bytes of content`);
    this.seq++;
    return {
      type: record.type,
      content,
      describe: (contentFields) => ({
        ...this.wire(record.type, record.version, iv, f.subarray(16), seq),
        decoded: this.layer(plain, contentLength, contentFields, paddingLength),
      }),
    };
  }

  private wire(type: number, version: number, iv: Uint8Array, ciphertext: Uint8Array, seq: bigint): Encoded {
    const w = new ByteWriter(RECORD_HEADER_LENGTH + 16 + ciphertext.length);
    const done = w.group({
      name: 'TLSCiphertext',
      layer: 'tls-record',
      value: `${describeContentType(type)}, protected record #${seq}`,
      spec: 'RFC 5246 §6.2.3.2',
    });
    writeRecordHeader(w, type, version, 16 + ciphertext.length);
    const body = w.group({ name: 'GenericBlockCipher', spec: 'RFC 5246 §6.2.3.2' });
    w.bytes(iv, {
      name: 'IV',
      value: toHex(iv),
      note: 'A fresh random IV for each record (TLS 1.1 and later).',
      spec: 'RFC 5246 §6.2.3.2',
    });
    w.bytes(ciphertext, {
      name: 'ciphertext',
      value: `${ciphertext.length} bytes`,
      note: 'AES-CBC encryption of content || MAC || padding: the MAC is inside the encryption (MAC-then-encrypt).',
      spec: 'RFC 5246 §6.2.3.2',
    });
    body();
    done();
    return w.finish();
  }

  private layer(plain: Uint8Array, contentLength: number, contentFields: Field[], paddingLength: number) {
    const macEnd = contentLength + this.macLength;
    const fields: Field[] = [
      {
        name: 'GenericBlockCipher (decrypted)',
        start: 0,
        end: plain.length,
        layer: 'tls-record',
        spec: 'RFC 5246 §6.2.3.2',
        children: [
          ...(contentLength > 0 ? [{ name: 'content', start: 0, end: contentLength, children: contentFields }] : []),
          {
            name: 'MAC',
            start: contentLength,
            end: macEnd,
            value: toHex(plain.subarray(contentLength, macEnd)),
            note: `HMAC-${this.macHash.toUpperCase()}(MAC_write_key, seq_num || type || version || length || content).`,
            spec: 'RFC 5246 §6.2.3.1',
          },
          ...(paddingLength > 0
            ? [
                {
                  name: 'padding',
                  start: macEnd,
                  end: plain.length - 1,
                  value: `${paddingLength} × ${paddingLength}`,
                  spec: 'RFC 5246 §6.2.3.2',
                },
              ]
            : []),
          {
            name: 'padding_length',
            start: plain.length - 1,
            end: plain.length,
            value: String(paddingLength),
            spec: 'RFC 5246 §6.2.3.2',
          },
        ],
      },
    ];
    return plainLayer('TLS 1.2 record plaintext (CBC)', plain, fields);
  }
}
