/** Every `trunklab` command, in the order `--help` lists them. */
import type { Command } from './io';
import { scenariosCommand } from './scenarios-command';
import { runCommand } from './run-command';
import { certCheckCommand } from './cert-check-command';
import { srtpDecryptCommand } from './srtp-decrypt-command';
import { tlsConnectCommand } from './tls-connect-command';
import { tlsServeCommand } from './tls-serve-command';
import { sipParseCommand } from './sip-parse-command';
import { sipLintCommand } from './sip-lint-command';
import { analyzeCommand } from './analyze-command';
import { caCommand } from './ca-command';
import { sbcCommand } from './sbc-command';

export const COMMANDS: readonly Command[] = [
  scenariosCommand,
  runCommand,
  certCheckCommand,
  srtpDecryptCommand,
  analyzeCommand,
  tlsConnectCommand,
  tlsServeCommand,
  sipParseCommand,
  sipLintCommand,
  caCommand,
  sbcCommand,
];
