/**
 * The `trunklab` command: the engine for support engineers, scripts and tests.
 * Dispatches to a command and turns every failure into the exit status of
 * the contract, with a one-line message and never a stack trace.
 */
import { COMMANDS } from './commands';
import { EXIT, UsageError, type CliContext } from './io';
import { isParseError } from '../wire/parse-error';
import { answerWithoutRunning } from './usage';

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const answer = answerWithoutRunning(argv, COMMANDS);
  if (answer) {
    if (answer.stdout) ctx.stdout(answer.stdout);
    if (answer.stderr) ctx.stderr(answer.stderr);
    return answer.status;
  }
  const [name, ...args] = argv;
  const command = COMMANDS.find((c) => c.name === name)!;
  try {
    return await command.run(args, ctx);
  } catch (e) {
    if (e instanceof UsageError || isParseError(e)) {
      // A subcommand's error names it (`ca sign: ...`): `trunklab ca sign: ...`, not `trunklab ca: ca sign: ...`.
      const subcommand = e.message.startsWith(`${name} `) && /^\S+ \S+: /.test(e.message);
      ctx.stderr(
        subcommand
          ? `trunklab ${e.message}\n`
          : `trunklab ${name}: ${e.message.replace(new RegExp(`^${name}: `), '')}\n`,
      );
      return EXIT.usage;
    }
    // A bug, not bad input: still one line, but say so.
    const message = e instanceof Error ? e.message : String(e);
    ctx.stderr(`trunklab ${name}: internal error: ${message.split('\n')[0]}\n`);
    return EXIT.usage;
  }
}
