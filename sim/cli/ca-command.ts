/**
 * `trunklab ca init DIR [--sbc-name NAME]...` and `trunklab ca sign CSR --out
 * CERT [--ca-dir DIR] [--purpose client|server|both] [--days N]`: the
 * carrier's CA for a test bench (ca-run.ts, loaded when the command runs).
 */
import type { Command } from './io';

export const caCommand: Command = {
  name: 'ca',
  synopsis:
    'trunklab ca init DIR [--sbc-name NAME]... [--json] | trunklab ca sign CSR --out CERT [--ca-dir DIR] [--purpose client|server|both] [--days N] [--json]',
  description:
    'Makes a carrier-style test PKI (root, issuing CA, the SBC’s certificate), and issues a PBX’s certificate from its CSR after checking it.',
  run: async (args, ctx) => (await import('./ca-run')).runCa(args, ctx),
};
