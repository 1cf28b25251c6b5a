/**
 * Checks, once per test run, that the outside programs the tests prove
 * themselves against are installed, and says how to get any that is missing.
 */
import { requireLibrary, requireTool } from '../scripts/tools.js';

export default function setup(): void {
  requireTool('openssl');
  requireTool('tshark');
  requireTool('sox');
  requireTool('dumpcap');
  requireTool('gcc');
  requireTool('pkg-config');
  requireLibrary('libsrtp2');
}
