/**
 * One SIP message as `trunklab sip-parse` and `sip-lint` read it: from a file
 * or standard input, within a size limit, parsed the way the engine's PBX and
 * SBC parse it (sim/sip/parse.ts) and judged, then described for a person or
 * as JSON. Loaded when one of those commands runs.
 */
import { parseSipMessage, type ParsedSipMessage } from '../sip/parse';
import { checkMessage } from '../sip/validate';
import { isSipParseError } from '../sip/syntax-error';
import { unfoldedValue } from '../sip/message';
import type { Field } from '../wire/field';
import { UsageError, type CliContext } from './io';
import { INPUT_LIMIT, readInputFile, tooLarge } from './input-file';

/** The bytes of FILE, or of standard input for `-`; a UsageError naming what went wrong. */
export async function readMessageInput(command: string, path: string, ctx: CliContext): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (path === '-') {
    bytes = await ctx.readStdin(INPUT_LIMIT.sip);
    if (bytes.length > INPUT_LIMIT.sip) throw tooLarge(command, 'standard input', undefined, INPUT_LIMIT.sip);
  } else {
    bytes = readInputFile(command, path, INPUT_LIMIT.sip);
  }
  if (bytes.length === 0) throw new UsageError(`${command}: ${path === '-' ? 'standard input' : path} is empty`);
  return bytes;
}

export interface Verdict {
  valid: boolean;
  /** When invalid: the line, the part, the reason, and the status code a server would answer. */
  line?: number;
  where?: string;
  reason?: string;
  status?: number;
}

/** Parses and checks; a SipParseError or a message-level failure becomes an invalid verdict. */
export function judge(bytes: Uint8Array, stream: boolean): { verdict: Verdict; parsed?: ParsedSipMessage } {
  let parsed: ParsedSipMessage;
  try {
    parsed = parseSipMessage(bytes, { transport: stream ? 'stream' : 'datagram' });
  } catch (e) {
    if (!isSipParseError(e)) throw e;
    return { verdict: { valid: false, line: e.line, where: e.where, reason: e.reason, status: e.status } };
  }
  const rejection = checkMessage(parsed);
  if (rejection) {
    return {
      verdict: {
        valid: false,
        line: rejection.line,
        where: rejection.header ?? 'message',
        reason: rejection.detail,
        status: rejection.status,
      },
      parsed,
    };
  }
  return { verdict: { valid: true }, parsed };
}

export function describe(p: ParsedSipMessage) {
  const m = p.message;
  return {
    ...(m.kind === 'request'
      ? { kind: m.kind, method: m.method, uri: m.uri }
      : { kind: m.kind, status: m.status, reason: m.reason }),
    headers: p.headers.map((h) => ({ line: h.line, name: h.canonical, value: unfoldedValue(h.header) })),
    body: { length: m.body.length },
    ignoredTrailing: p.ignoredTrailing,
  };
}

export function formatMessage(p: ParsedSipMessage): string {
  const m = p.message;
  const lines = [`valid SIP ${m.kind}: ${m.kind === 'request' ? `${m.method} ${m.uri}` : `${m.status} ${m.reason}`}`];
  const sipField = p.fields.find((f) => f.name === 'SIP message')!;
  const visit = (f: Field, depth: number) => {
    const range = `[${f.start}, ${f.end})`.padEnd(14);
    const value = f.value !== undefined ? `  ${f.value.length > 70 ? f.value.slice(0, 69) + '…' : f.value}` : '';
    lines.push(`${'  '.repeat(depth)}${range} ${f.name}${value}${f.spec ? `  (${f.spec})` : ''}`);
    if (f.note && depth <= 1) lines.push(`${'  '.repeat(depth)}${' '.repeat(15)}${f.note}`);
    if (depth < 2)
      for (const c of f.children ?? [])
        if (c.name !== 'CRLF' && c.name !== 'separator' && c.name !== 'LWS') visit(c, depth + 1);
  };
  for (const f of sipField.children ?? []) visit(f, 0);
  if (p.ignoredTrailing) lines.push(`${p.ignoredTrailing} octets after the message were ignored (RFC 3261 §18.3).`);
  return lines.join('\n') + '\n';
}
