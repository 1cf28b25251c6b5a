/**
 * Once per test run: checks that the outside programs the tests prove
 * themselves against are installed (and says how to get any that is
 * missing), and builds the `trunklab` command from the sources as they are,
 * so tests that run bin/trunklab.js run the JavaScript a user's install runs.
 */
import { execFileSync } from 'node:child_process';
import { requireTool } from '../scripts/tools.js';

export default function setup(): void {
  requireTool('openssl');
  requireTool('tshark');
  requireTool('sox');
  execFileSync(process.execPath, ['scripts/build-cli.js'], { stdio: 'inherit' });
}
