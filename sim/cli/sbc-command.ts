/**
 * `trunklab sbc [--listen HOST:PORT] [--ca-dir DIR] [--user U --password P |
 * --ip-auth CIDR] [--record DIR] ...`: a test SBC on real sockets for
 * rehearsing a PBX's secure trunk (sbc/sbc-run.ts, loaded when it runs).
 */
import type { Command } from './io';

export const sbcCommand: Command = {
  name: 'sbc',
  synopsis:
    'trunklab sbc [--listen HOST:PORT] [--ca-dir DIR] [--user U --password P] [--digest SHA-256,MD5] [--ip-auth CIDR]... [--record DIR] [--tls 1.2|1.3] [--timeout S] [--idle S] [--hangup-after S] [--json]',
  description:
    'Runs a test SBC: mutual TLS, digest REGISTER, INVITE with SDES keys, SRTP that plays a phrase and echoes, BYE; one line per event until Ctrl+C.',
  run: async (args, ctx) => (await import('./sbc/sbc-run')).runSbc(args, ctx),
};
