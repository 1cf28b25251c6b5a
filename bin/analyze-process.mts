/**
 * `trunklab analyze` as a process, on its own: scripts/build-cli.js bundles
 * this into build/cli/analyze.cjs, one CommonJS file holding the command and
 * everything it runs, which bin/trunklab.js requires for `trunklab analyze`.
 * Loading the same code as some thirty ES module chunks (resolving, reading,
 * compiling and linking each) cost a support engineer tens of milliseconds
 * at every start of a command that otherwise takes a few hundred; help and
 * every other command still start from the ES module build (trunklab-process.mts).
 */
import { analyzeCommand } from '../sim/cli/analyze-command';
import { runToExitStatus } from '../sim/cli/exit-status';
import { processContext } from './process-context.mts';

/** Runs `trunklab analyze ARGS…` (argv starts with `analyze`) and sets the exit status. */
export async function runTrunklab(argv: string[]): Promise<void> {
  if (argv[0] !== analyzeCommand.name) throw new Error(`analyze-process: not an analyze command line: ${argv[0]}`);
  // A stack trace names the TypeScript (the build's source map).
  process.setSourceMapsEnabled(true);
  process.exitCode = await runToExitStatus(analyzeCommand, argv.slice(1), processContext());
}
