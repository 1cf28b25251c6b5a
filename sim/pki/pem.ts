/**
 * PEM, the text form of DER objects (RFC 7468): a base64 body between
 * `-----BEGIN LABEL-----` and `-----END LABEL-----` lines. Text outside the
 * blocks is explanatory and ignored (RFC 7468 §2), which is how
 * `openssl x509 -text` output and certificate bundles with comments still read.
 *
 * Every problem is a `ParseError` that names the block by its position and
 * label, so "PEM block 2 (CERTIFICATE): no END line" tells a support
 * engineer which part of a pasted chain was cut off.
 */
import { fromBase64, toBase64 } from '../wire/bytes';
import { ParseError } from '../wire/parse-error';

export interface PemBlock {
  /** The label, e.g. `CERTIFICATE`, `PRIVATE KEY`. */
  label: string;
  der: Uint8Array;
  /** 1-based position among the blocks of the text, for messages. */
  index: number;
  /** Character offset of the BEGIN line. */
  offset: number;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]*)-----/g;

/** Every PEM block in `text`, in order. An empty list when there is none. */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    const label = m[1];
    const index = blocks.length + 1;
    const name = `PEM block ${index} (${label})`;
    const endLine = `-----END ${label}-----`;
    const bodyStart = m.index + m[0].length;
    const end = text.indexOf(endLine, bodyStart);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
      throw new ParseError('truncated', `no "${endLine}" line; the text was cut off`, m.index, name);
    }
    const body = text.slice(bodyStart, end);
    // RFC 1421 encapsulated headers (Proc-Type, DEK-Info) mean a legacy encrypted key.
    if (/^[ \t]*[A-Za-z-]+:/m.test(body)) {
      throw new ParseError(
        'unsupported',
        'encrypted (Proc-Type/DEK-Info headers); decrypt it first, e.g. with `openssl pkey`',
        bodyStart,
        name,
      );
    }
    const base64 = body.replace(/\s+/g, '');
    const der = base64.length > 0 ? fromBase64(base64) : undefined;
    if (!der || der.length === 0) {
      throw new ParseError('invalid_value', 'the base64 body is damaged or empty', bodyStart, name);
    }
    blocks.push({ label, der, index, offset: m.index });
    BEGIN.lastIndex = end + endLine.length;
  }
  return blocks;
}

/** DER as a PEM block with 64-character lines (RFC 7468 §2). */
export function toPem(label: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
