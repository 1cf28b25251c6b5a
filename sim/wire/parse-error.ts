/**
 * The one error type a parser in `sim/` throws for bad input. It says what was
 * wrong and where, so a support engineer can act on it; anything else escaping
 * a parser is a bug.
 */

export type ParseErrorCode =
  'truncated' | 'length_mismatch' | 'trailing_bytes' | 'invalid_value' | 'too_large' | 'unsupported';

export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly code: ParseErrorCode,
    message: string,
    /** Byte offset in the input where the problem was found. */
    readonly offset: number,
    /** Path of the field being parsed, e.g. `ClientHello › extensions › server_name`. */
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message} (at byte ${offset})` : `${message} (at byte ${offset})`);
  }
}

export function isParseError(e: unknown): e is ParseError {
  return e instanceof ParseError;
}
