/**
 * The numbers the engine runs with, gathered for texts that quote them: an
 * article that says how long the PBX waits for a ServerHello, how many bytes
 * of audio a packet carries or how long an SRTP tag is reads the value here,
 * so the words cannot drift from what the lab does.
 *
 * - RTP: the 12-byte fixed header (RFC 3550 §5.1); G.711 at 8000 samples a
 *   second, one byte a sample, 20 ms a packet (RFC 3551 §4.5.14, §4.2).
 * - SRTP: each suite's master key, master salt and tag lengths (RFC 4568
 *   §6.2, RFC 6188 §5.1, RFC 7714 §12), the base64 length of its `inline:`
 *   key (RFC 4568 §6.1), and the replay window (RFC 3711 §3.3.2).
 * - TLS: how long the lab's PBX waits for an answer to its ClientHello.
 * - SIP: the digest algorithms the lab's SBC asks for, and how long a
 *   transaction waits for its final response (RFC 3261 §17.1: 64·T1).
 * - The lab's PBX: its own SIP ports and media port.
 * - Scenarios whose articles tell their clock: the NAT idle-timeout run's
 *   router timeout, registration interval, calls and keepalive.
 */
import { SRTP_SUITES, type SrtpSuiteName } from './rtp/srtp-suite';
import { G711_SAMPLE_RATE, PACKET_TIME_MS, SAMPLES_PER_PACKET } from './rtp/g711-packetizer';
import { RTP_FIXED_HEADER_LENGTH } from './rtp/rtp-packet';
import { DEFAULT_REPLAY_WINDOW } from './rtp/replay-window';
import { HANDSHAKE_TIMEOUT_MS } from './scenarios/tls-over-tcp';
import { PBX_MEDIA_PORT, PBX_SIP_PORT } from './scenarios/pbx-side';
import { DEFAULT_DIGEST_ALGORITHMS } from './sip/sbc-server';
import { TIMER_B_MS } from './sip/sbc-caller';
import { NAT_IDLE_TIMEOUT_TIMES } from './scenarios/operations/nat-idle-timeout';

export interface SrtpSuiteFacts {
  keyBytes: number;
  saltBytes: number;
  /** Master key and salt together: what an `inline:` key carries. */
  keySaltBytes: number;
  /** Characters of base64 for key and salt (RFC 4648 §4, padding included). */
  inlineChars: number;
  tagBytes: number;
  tagBits: number;
  srtcpTagBytes: number;
}

function suiteFacts(name: SrtpSuiteName): SrtpSuiteFacts {
  const s = SRTP_SUITES[name];
  const keySaltBytes = s.keyLength + s.saltLength;
  return {
    keyBytes: s.keyLength,
    saltBytes: s.saltLength,
    keySaltBytes,
    inlineChars: Math.ceil(keySaltBytes / 3) * 4,
    tagBytes: s.srtpTagLength,
    tagBits: s.srtpTagLength * 8,
    srtcpTagBytes: s.srtcpTagLength,
  };
}

export const ENGINE_FACTS = {
  rtp: {
    headerBytes: RTP_FIXED_HEADER_LENGTH,
    packetTimeMs: PACKET_TIME_MS,
    sampleRate: G711_SAMPLE_RATE,
    /** G.711 codes one sample in one byte. */
    g711PayloadBytes: SAMPLES_PER_PACKET,
    packetsPerSecond: 1000 / PACKET_TIME_MS,
    /** Minutes of one stream until its 16-bit sequence number wraps and the ROC counts one more (RFC 3711 §3.3.1). */
    sequenceWrapMinutes: Math.round(65536 / (1000 / PACKET_TIME_MS) / 6) / 10,
  },
  srtp: {
    replayWindow: DEFAULT_REPLAY_WINDOW,
    /** The smallest window RFC 3711 §3.3.2 allows. */
    minimumReplayWindow: 64,
    suites: Object.fromEntries(
      (Object.keys(SRTP_SUITES) as SrtpSuiteName[]).map((name) => [name, suiteFacts(name)]),
    ) as Record<SrtpSuiteName, SrtpSuiteFacts>,
  },
  tls: {
    handshakeTimeoutSeconds: HANDSHAKE_TIMEOUT_MS / 1000,
  },
  sip: {
    /** The digest algorithms the lab's SBC challenges with by default. */
    sbcDigestAlgorithms: [...DEFAULT_DIGEST_ALGORITHMS],
    /** Timer B and Timer F: how long a client transaction waits for a final response (RFC 3261 §17.1). */
    transactionTimeoutSeconds: TIMER_B_MS / 1000,
  },
  pbx: {
    tlsPort: PBX_SIP_PORT.tls,
    udpPort: PBX_SIP_PORT.udp,
    mediaPort: PBX_MEDIA_PORT,
  },
  scenarios: {
    natIdleTimeout: NAT_IDLE_TIMEOUT_TIMES,
  },
} as const;
