/**
 * `trunklab srtp-decrypt IN.pcap --key inline:B64 [--suite NAME] [--ssrc N] --out OUT.pcap [--json]`:
 * decrypts SDES-keyed SRTP from a capture (srtp-decrypt-run.ts, loaded when
 * the command runs, so that `trunklab` starts without the SRTP engine).
 */
import type { Command } from './io';

export const srtpDecryptCommand: Command = {
  name: 'srtp-decrypt',
  synopsis: 'trunklab srtp-decrypt IN.pcap --key inline:B64 [--suite NAME] [--ssrc N] --out OUT.pcap [--json]',
  description:
    'Decrypts SDES-keyed SRTP from a pcap or pcapng capture and writes the RTP to a pcap (Wireshark cannot).',
  run: async (args, ctx) => (await import('./srtp-decrypt-run')).runSrtpDecrypt(args, ctx),
};
