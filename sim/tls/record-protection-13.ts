/**
 * TLS 1.3 record protection (RFC 8446 §5.2–§5.4).
 *
 * 1. TLSInnerPlaintext = content || ContentType || zeros (padding, none here).
 * 2. nonce = write_iv XOR the 64-bit sequence number, left-padded to the IV length (§5.3).
 * 3. additional_data = opaque_type (23) || legacy_record_version (0x0303) || length,
 *    the header of the record being written (§5.2).
 * 4. encrypted_record = AEAD-Encrypt(write_key, nonce, additional_data, TLSInnerPlaintext).
 *
 * On the wire every protected record says application_data: an observer sees
 * only lengths. Opening reverses the steps; a tag that fails is bad_record_mac,
 * an inner plaintext of only zeros is unexpected_message (§5.4).
 */
import { AEAD_TAG_LENGTH, aeadKey, type AeadKey, type AeadName } from '../crypto/aead';
import { ByteWriter } from '../wire/writer';
import { toHex } from '../wire/bytes';
import type { Field } from '../wire/field';
import { CONTENT_TYPE, describeContentType } from './codepoints';
import { fail } from './alert';
import {
  MAX_CIPHERTEXT_13,
  MAX_PLAINTEXT,
  RECORD_HEADER_LENGTH,
  writeRecordHeader,
  type Encoded,
  type RawRecord,
} from './record';
import { sequenceBytes, type OpenedRecord, type RecordCipher, type SealedRecord } from './record-cipher';
import type { TrafficKeys } from './key-schedule-13';

export class Tls13RecordCipher implements RecordCipher {
  readonly encrypted = true;
  private seq = 0n;
  /** The write key, prepared once for every record of the epoch. */
  private readonly cipher: AeadKey;

  constructor(
    aead: AeadName,
    private readonly keys: TrafficKeys,
    readonly epoch: string,
  ) {
    this.cipher = aeadKey(aead, keys.key);
  }

  /** The per-record nonce (RFC 8446 §5.3). */
  nonce(seq: bigint): Uint8Array {
    const nonce = this.keys.iv.slice();
    const s = sequenceBytes(seq);
    for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i] ^= s[i];
    return nonce;
  }

  seal(type: number, content: Encoded): SealedRecord {
    const inner = new Uint8Array(content.bytes.length + 1);
    inner.set(content.bytes);
    inner[content.bytes.length] = type;
    const length = inner.length + AEAD_TAG_LENGTH;
    const header = Uint8Array.of(CONTENT_TYPE.application_data, 0x03, 0x03, length >> 8, length & 0xff);
    const seq = this.seq++;
    const sealed = this.cipher.seal(this.nonce(seq), inner, header);

    const w = new ByteWriter(RECORD_HEADER_LENGTH + sealed.length);
    const done = w.group({
      name: 'TLSCiphertext',
      layer: 'tls-record',
      value: `protected record #${seq} (${this.epoch} keys)`,
      spec: 'RFC 8446 §5.2',
    });
    writeRecordHeader(w, CONTENT_TYPE.application_data, 0x0303, length, true);
    const enc = w.group({
      name: 'encrypted_record',
      note: `AEAD-Encrypt(${this.epoch} write_key, nonce = write_iv XOR ${seq}, additional_data = the 5 header bytes, TLSInnerPlaintext)`,
      spec: 'RFC 8446 §5.2',
    });
    w.bytes(sealed.subarray(0, inner.length), {
      name: 'ciphertext',
      value: `${inner.length} bytes`,
      note: 'The content and its real type, encrypted: an observer learns only the length.',
      spec: 'RFC 8446 §5.2',
    });
    w.bytes(sealed.subarray(inner.length), {
      name: 'authentication tag',
      value: toHex(sealed.subarray(inner.length)),
      note: 'Proves the record was not changed: a wrong tag ends the connection with bad_record_mac.',
      spec: 'RFC 8446 §5.2',
    });
    enc();
    done();
    const wire = w.finish();
    return { ...wire, decoded: innerLayer(inner, content.fields, type, 0, seq, this.epoch) };
  }

  open(record: RawRecord): OpenedRecord {
    if (record.type !== CONTENT_TYPE.application_data) {
      throw fail(
        'unexpected_message',
        `a ${describeContentType(record.type)} record arrived unprotected after keys were set`,
      );
    }
    if (record.fragment.length > MAX_CIPHERTEXT_13) {
      throw fail(
        'record_overflow',
        `a protected record of ${record.fragment.length} bytes; at most ${MAX_CIPHERTEXT_13} are allowed`,
      );
    }
    const header = record.bytes.subarray(0, RECORD_HEADER_LENGTH);
    const seq = this.seq;
    const inner = this.cipher.open(this.nonce(seq), record.fragment, header);
    if (!inner) {
      throw fail(
        'bad_record_mac',
        `record #${seq} under the ${this.epoch} keys failed authentication: it was altered, or the keys differ`,
      );
    }
    this.seq++;
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) throw fail('unexpected_message', 'a protected record held only padding, with no content type');
    if (end - 1 > MAX_PLAINTEXT)
      throw fail('record_overflow', `a record carried ${end - 1} bytes of content; at most ${MAX_PLAINTEXT}`);
    const type = inner[end - 1];
    const content = inner.slice(0, end - 1);
    const padding = inner.length - end;
    return {
      type,
      content,
      describe: (contentFields) => {
        const w = new ByteWriter(record.bytes.length);
        const done = w.group({
          name: 'TLSCiphertext',
          layer: 'tls-record',
          value: `protected record #${seq} (${this.epoch} keys)`,
          spec: 'RFC 8446 §5.2',
        });
        writeRecordHeader(w, record.type, record.version, record.fragment.length, true);
        const enc = w.group({ name: 'encrypted_record', spec: 'RFC 8446 §5.2' });
        w.bytes(record.fragment.subarray(0, inner.length), {
          name: 'ciphertext',
          value: `${inner.length} bytes`,
          note: 'The content and its real type, encrypted: an observer learns only the length.',
          spec: 'RFC 8446 §5.2',
        });
        w.bytes(record.fragment.subarray(inner.length), {
          name: 'authentication tag',
          value: toHex(record.fragment.subarray(inner.length)),
          spec: 'RFC 8446 §5.2',
        });
        enc();
        done();
        return { ...w.finish(), decoded: innerLayer(inner, contentFields, type, padding, seq, this.epoch) };
      },
    };
  }
}

/** The decoded TLSInnerPlaintext: content, real type, padding (RFC 8446 §5.2). */
function innerLayer(
  inner: Uint8Array,
  contentFields: Field[],
  type: number,
  padding: number,
  seq: bigint,
  epoch: string,
) {
  const contentLength = inner.length - 1 - padding;
  const fields: Field[] = [
    {
      name: 'TLSInnerPlaintext',
      start: 0,
      end: inner.length,
      layer: 'tls-record',
      value: describeContentType(type),
      note: `Record #${seq} decrypted with the ${epoch} keys.`,
      spec: 'RFC 8446 §5.2',
      children: [
        ...(contentLength > 0
          ? [
              {
                name: 'content',
                start: 0,
                end: contentLength,
                spec: 'RFC 8446 §5.2',
                // The content's own tree, as TLS 1.2's plaintext layer takes it: its offsets already
                // count from the plaintext's first byte, and the content was written for this record.
                children: contentFields,
              },
            ]
          : []),
        {
          name: 'type',
          start: contentLength,
          end: contentLength + 1,
          value: describeContentType(type),
          note: 'The real content type, hidden from observers.',
          spec: 'RFC 8446 §5.2',
        },
        ...(padding > 0
          ? [
              {
                name: 'zeros',
                start: contentLength + 1,
                end: inner.length,
                value: `${padding} bytes of padding`,
                spec: 'RFC 8446 §5.4',
              },
            ]
          : []),
      ],
    },
  ];
  return { title: 'TLS 1.3 inner plaintext', bytes: toHex(inner), fields };
}
