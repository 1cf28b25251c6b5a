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
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type Command } from './io';

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
    // The engine is loaded when a command runs, not when `trunklab` starts.
    const [{ describe, formatMessage, judge, readMessageInput }, { reasonPhrase }] = await Promise.all([
      import('./sip-message'),
      import('../sip/status'),
    ]);
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
