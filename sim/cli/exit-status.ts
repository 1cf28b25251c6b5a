/**
 * One command run to its exit status: every failure it throws becomes the
 * status of the contract with a one-line message, never a stack trace. Apart
 * from main.ts (which picks the command from the whole table) so that a
 * command built on its own (scripts/build-cli.js) runs the same way without
 * the table and every other command behind it.
 */
import { EXIT, UsageError, type CliContext, type Command } from './io';
import { isParseError } from '../wire/parse-error';

export async function runToExitStatus(command: Command, args: string[], ctx: CliContext): Promise<number> {
  const name = command.name;
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
