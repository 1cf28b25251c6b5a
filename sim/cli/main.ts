/**
 * The `trunklab` command: the engine for support engineers, scripts and tests.
 * Dispatches to a command and turns every failure into the exit status of
 * the contract, with a one-line message and never a stack trace.
 */
import { COMMANDS } from './commands';
import type { CliContext } from './io';
import { runToExitStatus } from './exit-status';
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
  return runToExitStatus(command, args, ctx);
}
