/**
 * `trunklab sip-parse FILE|- [--stream] [--json]`: parses one SIP message the
 * way the engine's PBX and SBC do (sim/sip/parse.ts) and says what is in it,
 * or on which line and why it is not valid SIP.
 *
 * The input is read as one UDP datagram (octets after Content-Length are
 * ignored, RFC 3261 §18.3) unless `--stream`, which reads it as one message
 * from TCP or TLS (Content-Length required). Exit 0 valid, 1 invalid (the
 * line and the reason), 2 unreadable input or bad usage.
 */
import { parseSipMessage, type ParsedSipMessage } from '../sip/parse';
import { checkMessage } from '../sip/validate';
import { isSipParseError } from '../sip/syntax-error';
import { reasonPhrase } from '../sip/status';
import { unfoldedValue } from '../sip/message';
import type { Field } from '../wire/field';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliContext, type Command } from './io';
import { readInputFile } from './input-file';

/** The bytes of FILE, or of standard input for `-`; a UsageError naming what went wrong. */
export async function readMessageInput(command: string, path: string, ctx: CliContext): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (path === '-') {
    bytes = await ctx.readStdin();
  } else {
    bytes = readInputFile(command, path);
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

export const sipParseCommand: Command = {
  name: 'sip-parse',
  synopsis: 'trunklab sip-parse FILE|- [--stream] [--json]',
  description: 'Parses a SIP message, explains every header, or names the line and reason it is invalid.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('sip-parse', args, {
      json: { type: 'boolean' },
      stream: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('sip-parse: give one FILE, or - for standard input');
    const bytes = await readMessageInput('sip-parse', positionals[0], ctx);
    const { verdict, parsed } = judge(bytes, values.stream === true);
    if (values.json) {
      ctx.stdout(
        JSON.stringify(parsed ? { ...verdict, message: describe(parsed), fields: parsed.fields } : verdict, null, 2) +
          '\n',
      );
    } else if (!verdict.valid) {
      ctx.stdout(
        `invalid: line ${verdict.line} (${verdict.where}): ${verdict.reason}\nA server would answer ${verdict.status} ${reasonPhrase(verdict.status!)}.\n`,
      );
    } else {
      ctx.stdout(formatMessage(parsed!));
    }
    return verdict.valid ? EXIT.ok : EXIT.failed;
  },
};

function describe(p: ParsedSipMessage) {
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

function formatMessage(p: ParsedSipMessage): string {
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
