/**
 * The record layer's framing (RFC 8446 §5.1, RFC 5246 §6.2.1): a 5-byte
 * header (content type, legacy record version, length) before each fragment.
 *
 * `RecordSplitter` cuts a received byte stream into whole records and checks
 * each header before any byte of the fragment is trusted: an unknown content
 * type is an unexpected_message, a length beyond what the version allows a
 * record_overflow (RFC 8446 §5.1, §5.2; RFC 5246 §6.2.1–6.2.3). Bytes that do
 * not yet make a whole record wait for more.
 */
import { ByteWriter } from '../wire/writer';
import type { Field } from '../wire/field';
import { concatBytes } from '../wire/bytes';
import { CONTENT_TYPE, contentTypeName, describeContentType, describeVersion } from './codepoints';
import { fail } from './alert';

export const RECORD_HEADER_LENGTH = 5;
/** TLSPlaintext.length MUST NOT exceed 2^14 (RFC 8446 §5.1, RFC 5246 §6.2.1). */
export const MAX_PLAINTEXT = 2 ** 14;
/** TLS 1.3: TLSCiphertext.length MUST NOT exceed 2^14 + 256 (RFC 8446 §5.2). */
export const MAX_CIPHERTEXT_13 = 2 ** 14 + 256;
/** TLS 1.2: TLSCiphertext.length MUST NOT exceed 2^14 + 2048 (RFC 5246 §6.2.3). */
export const MAX_CIPHERTEXT_12 = 2 ** 14 + 2048;

export interface Encoded {
  bytes: Uint8Array;
  fields: Field[];
}

/** A record as it arrived: its header values and fragment, and all its bytes. */
export interface RawRecord {
  type: number;
  version: number;
  fragment: Uint8Array;
  /** The whole record, header included. */
  bytes: Uint8Array;
}

const TYPE_NOTE: Record<number, string> = {
  [CONTENT_TYPE.handshake]: 'A handshake message follows.',
  [CONTENT_TYPE.alert]: 'An alert follows.',
  [CONTENT_TYPE.change_cipher_spec]: 'ChangeCipherSpec: from the next record on, this sender encrypts.',
  [CONTENT_TYPE.application_data]: 'Application data, or (TLS 1.3) any protected record: the real type is inside.',
};

/**
 * Writes the 5-byte header. In TLS 1.3 every protected record says
 * application_data and 0x0303 here, whatever it carries (RFC 8446 §5.2).
 */
export function writeRecordHeader(
  w: ByteWriter,
  type: number,
  version: number,
  length: number,
  protectedRecord = false,
): void {
  w.uint8(type, {
    name: protectedRecord ? 'opaque_type' : 'type',
    value: describeContentType,
    note:
      protectedRecord && type === CONTENT_TYPE.application_data
        ? 'Always application_data (23) on a protected TLS 1.3 record: the real type is encrypted inside.'
        : TYPE_NOTE[type],
    spec: protectedRecord ? 'RFC 8446 §5.2' : 'RFC 8446 §5.1',
  });
  w.uint16(version, {
    name: 'legacy_record_version',
    value: describeVersion,
    note: 'Kept for middleboxes; receivers ignore it. TLS 1.3 writes 0x0303 (0x0301 is allowed on the first ClientHello).',
    spec: 'RFC 8446 §5.1',
  });
  w.uint16(length, {
    name: 'length',
    value: (n) => `${n} bytes`,
    note: 'Length of the fragment that follows.',
    spec: 'RFC 8446 §5.1',
  });
}

/** A whole plaintext record around content whose own fields are known. */
export function writePlaintextRecord(type: number, version: number, content: Encoded): Encoded {
  const w = new ByteWriter(RECORD_HEADER_LENGTH + content.bytes.length);
  const done = w.group({
    name: 'TLSPlaintext',
    layer: 'tls-record',
    value: describeContentType(type),
    spec: 'RFC 8446 §5.1',
  });
  writeRecordHeader(w, type, version, content.bytes.length);
  const fragment = w.group({
    name: 'fragment',
    note: 'Sent in clear: anyone on the path reads it.',
    spec: 'RFC 8446 §5.1',
  });
  w.embed(content);
  fragment();
  done();
  return w.finish();
}

/** Cuts a byte stream into records, checking each header. */
export class RecordSplitter {
  private buffer: Uint8Array = new Uint8Array(0);

  constructor(private maxFragment: number = MAX_CIPHERTEXT_12) {}

  /** The limit for the records that follow: 2^14 in clear, more once protected (and less in TLS 1.3 than 1.2). */
  setMaxFragment(n: number): void {
    this.maxFragment = n;
  }

  get pending(): number {
    return this.buffer.length;
  }

  push(bytes: Uint8Array): void {
    this.buffer = this.buffer.length === 0 ? bytes.slice() : concatBytes(this.buffer, bytes);
  }

  /** The next whole record, or undefined if more bytes are needed. Throws a TlsFailure for a bad header. */
  next(): RawRecord | undefined {
    if (this.buffer.length < 1) return undefined;
    const type = this.buffer[0];
    if (!contentTypeName(type)) {
      throw fail('unexpected_message', `received a record of content type ${type}, which TLS does not define`);
    }
    if (this.buffer.length < RECORD_HEADER_LENGTH) return undefined;
    const version = (this.buffer[1] << 8) | this.buffer[2];
    if (this.buffer[1] !== 0x03) {
      throw fail('protocol_version', `record version ${describeVersion(version)} is not a TLS version`);
    }
    const length = (this.buffer[3] << 8) | this.buffer[4];
    if (length > this.maxFragment) {
      throw fail('record_overflow', `a record says ${length} bytes follow; at most ${this.maxFragment} are allowed`);
    }
    if (length === 0 && type !== CONTENT_TYPE.application_data) {
      // RFC 8446 §5.1: zero-length fragments of handshake or alert type MUST NOT be sent.
      throw fail('decode_error', `an empty ${contentTypeName(type)} record`);
    }
    if (this.buffer.length < RECORD_HEADER_LENGTH + length) return undefined;
    const bytes = this.buffer.slice(0, RECORD_HEADER_LENGTH + length);
    this.buffer = this.buffer.slice(RECORD_HEADER_LENGTH + length);
    return { type, version, fragment: bytes.subarray(RECORD_HEADER_LENGTH), bytes };
  }
}
