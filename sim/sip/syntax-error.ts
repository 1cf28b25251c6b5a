/**
 * The error a SIP parser throws for bad input: a `ParseError` that also says
 * which line of the message is wrong and which status code an element answers
 * with (RFC 3261 §21: 400 Bad Request for malformed messages, 505 for an
 * unknown SIP version, 413 for a message too large to process).
 */
import { ParseError, type ParseErrorCode } from '../wire/parse-error';

export class SipParseError extends ParseError {
  constructor(
    code: ParseErrorCode,
    /** What was wrong, in words. */
    readonly reason: string,
    offset: number,
    /** 1-based line of the message (lines end with CRLF) where it was found. */
    readonly line: number,
    /** The header or start-line part being parsed: `Via`, `Request-Line`. */
    readonly where: string,
    /** The response a server sends for it (RFC 3261 §21). */
    readonly status: 400 | 413 | 505 = code === 'too_large' ? 413 : 400,
  ) {
    super(code, `line ${line}: ${reason}`, offset, where);
  }
}

export function isSipParseError(e: unknown): e is SipParseError {
  return e instanceof SipParseError;
}
