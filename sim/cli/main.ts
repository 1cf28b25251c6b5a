/**
 * The `trunklab` command: the engine for support engineers, scripts and tests.
 * Dispatches to a command and turns every failure into the exit status of
 * the contract, with a one-line message and never a stack trace.
 */
import { COMMANDS } from './commands';
import { EXIT, UsageError, type CliContext } from './io';
import { isParseError } from '../wire/parse-error';

export function helpText(): string {
  return [
    'trunklab — the Secure Trunk Lab engine on the command line',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.synopsis}`, `      ${c.description}`]),
    '',
    'Exit status: 0 success, 1 a verdict of failure, 2 bad usage or unreadable input.',
    'Run `trunklab COMMAND --help` for a command’s options.',
    '',
  ].join('\n');
}

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout(helpText());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.stderr(`trunklab: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout(`usage: ${command.synopsis}\n${command.description}\n`);
    return EXIT.ok;
  }
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
