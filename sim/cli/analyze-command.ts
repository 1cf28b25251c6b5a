/**
 * `trunklab analyze CAPTURE [--keylog FILE] [--key inline:B64 ...] [--json]`:
 * diagnoses a real trunk from its capture (analyze-run.ts, loaded when the
 * command runs, so that `trunklab` starts without the capture engine).
 */
import type { Command } from './io';

export const analyzeCommand: Command = {
  name: 'analyze',
  synopsis: 'trunklab analyze CAPTURE [--keylog FILE] [--key inline:B64 ...] [--json]',
  description:
    'Diagnoses a real trunk from its capture: TLS decrypted with a key log, SIP read, SRTP decrypted with the SDP’s keys; says which stage failed, in which packet, and who decided.',
  run: async (args, ctx) => (await import('./analyze-run')).runAnalyze(args, ctx),
};
