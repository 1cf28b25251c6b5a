/**
 * What `trunklab` answers without running a command: the list of commands
 * (`trunklab`, `--help`, `help`), one command's usage (`COMMAND --help`), and
 * an unknown command. It needs nothing but each command's name, synopsis and
 * description, so bin/trunklab.js answers these from a table written at build
 * time (scripts/build-cli.js) before Node loads a single ES module, and main()
 * answers them from the same function with the live table.
 */
import { EXIT } from './io';

/** What the answers need to know of a command. */
export interface CommandSummary {
  name: string;
  synopsis: string;
  description: string;
}

/** An answer: what to print on each stream, and the exit status. */
export interface UsageAnswer {
  status: number;
  stdout: string;
  stderr: string;
}

export function helpText(commands: readonly CommandSummary[]): string {
  return [
    'trunklab — the Secure Trunk Lab engine on the command line',
    '',
    'Commands:',
    ...commands.flatMap((c) => [`  ${c.synopsis}`, `      ${c.description}`]),
    '',
    'Exit status: 0 success, 1 a verdict of failure, 2 bad usage or unreadable input.',
    'Run `trunklab COMMAND --help` for a command’s options.',
    '',
  ].join('\n');
}

/** The answer to `argv` when no command has to run for it; undefined when one does. */
export function answerWithoutRunning(
  argv: readonly string[],
  commands: readonly CommandSummary[],
): UsageAnswer | undefined {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // `trunklab` alone is a usage mistake: the list, but exit 2 (DESIGN.md, "The trunklab command").
    return { status: name === undefined ? EXIT.usage : EXIT.ok, stdout: helpText(commands), stderr: '' };
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const names = commands.map((c) => c.name).join(', ');
    return { status: EXIT.usage, stdout: '', stderr: `trunklab: unknown command "${name}"; commands: ${names}\n` };
  }
  if (args.includes('--help') || args.includes('-h')) {
    return { status: EXIT.ok, stdout: `usage: ${command.synopsis}\n${command.description}\n`, stderr: '' };
  }
  return undefined;
}
