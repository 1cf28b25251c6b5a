/**
 * Record protection as one interface with one implementation per epoch and
 * suite: no protection before keys exist (RFC 8446 §5.1), TLS 1.3 AEAD
 * (§5.2–5.4), TLS 1.2 AEAD (RFC 5246 §6.2.3.3, RFC 5288 §3) and TLS 1.2 CBC
 * with HMAC (RFC 5246 §6.2.3.2). Each keeps its own sequence number (RFC 8446
 * §5.3), which starts at zero when the keys change.
 *
 * Sealing gives what anyone on the wire sees (the record's bytes and a field
 * tree covering them) and what the endpoints see (the decoded inner layer).
 * Opening gives the content; once the caller has parsed the content, `describe`
 * builds both views from the content's own fields.
 */
import type { Field } from '../wire/field';
import type { DecodedLayer } from '../timeline';
import type { Encoded, RawRecord } from './record';
import { MAX_PLAINTEXT, writePlaintextRecord, writeRecordHeader } from './record';
import { fail } from './alert';
import { ByteWriter } from '../wire/writer';
import { describeContentType } from './codepoints';

export interface SealedRecord extends Encoded {
  /** The plaintext inside a protected record, with its own fields; undefined when sent in clear. */
  decoded?: DecodedLayer;
}

export interface OpenedRecord {
  /** The real content type (from inside the record in TLS 1.3). */
  type: number;
  content: Uint8Array;
  /** Builds the record's wire view and, for a protected record, its decoded layer. */
  describe(contentFields: Field[]): SealedRecord;
}

export interface RecordCipher {
  /** True once records are encrypted. */
  readonly encrypted: boolean;
  /** Which keys: `handshake`, `application`, or `none`. */
  readonly epoch: string;
  seal(type: number, content: Encoded): SealedRecord;
  /** Throws a TlsFailure (bad_record_mac, record_overflow, unexpected_message) when the record cannot be opened. */
  open(record: RawRecord): OpenedRecord;
}

/** Before any keys: records go in clear (TLSPlaintext). */
export class PlaintextCipher implements RecordCipher {
  readonly encrypted = false;
  readonly epoch = 'none';

  constructor(private readonly recordVersion = 0x0303) {}

  seal(type: number, content: Encoded): SealedRecord {
    return writePlaintextRecord(type, this.recordVersion, content);
  }

  open(record: RawRecord): OpenedRecord {
    // RFC 8446 §5.1, RFC 5246 §6.2.1: TLSPlaintext.length MUST NOT exceed 2^14.
    if (record.fragment.length > MAX_PLAINTEXT) {
      throw fail(
        'record_overflow',
        `a record in clear says ${record.fragment.length} bytes follow; at most ${MAX_PLAINTEXT} are allowed`,
      );
    }
    return {
      type: record.type,
      content: record.fragment,
      describe: (contentFields) => {
        const w = new ByteWriter(record.bytes.length);
        const done = w.group({
          name: 'TLSPlaintext',
          layer: 'tls-record',
          value: describeContentType(record.type),
          spec: 'RFC 8446 §5.1',
        });
        writeRecordHeader(w, record.type, record.version, record.fragment.length);
        const fragment = w.group({
          name: 'fragment',
          note: 'Sent in clear: anyone on the path reads it.',
          spec: 'RFC 8446 §5.1',
        });
        w.embed({ bytes: record.fragment, fields: contentFields });
        fragment();
        done();
        return w.finish();
      },
    };
  }
}

/** The 8-byte sequence number as the nonce and MAC computations use it (RFC 8446 §5.3, RFC 5246 §6.2.3.1). */
export function sequenceBytes(seq: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 7, x = seq; i >= 0; i--, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}
