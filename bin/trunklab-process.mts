/**
 * `trunklab` as a process: the engine's `main` with this process's streams,
 * its arguments and the carrier profile from content/. It lives outside sim/
 * because it composes the engine with the carrier profile, which the engine
 * never imports itself. scripts/build-cli.js bundles it (and everything it
 * imports) into plain JavaScript in build/cli/; bin/trunklab.js runs that.
 * An ES module whatever bin/package.json says (.mts): bin/ is CommonJS so
 * that bin/trunklab.js starts without the ES module loader.
 */
import { main } from '../sim/cli/main';
import { processContext } from './process-context.mts';

export { main };
/** The command table, from which scripts/build-cli.js writes the answers bin/trunklab.js gives without it. */
export { COMMANDS } from '../sim/cli/commands';

/** Runs the command line this process was given and sets its exit status. */
export async function runTrunklab(argv: string[] = process.argv.slice(2)): Promise<void> {
  // Help (`trunklab`, `--help`, `COMMAND --help`) loads no engine, so it starts without either of these:
  // reading source maps (about a tenth of its time) and the polyfill the X.509 library needs loaded before it.
  const help = argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');
  if (!help) {
    // A stack trace from the engine, which commands load from here on, names the TypeScript.
    process.setSourceMapsEnabled(true);
    await import('reflect-metadata');
  }
  process.exitCode = await main(argv, processContext());
}
