/**
 * The work of `trunklab srtp-decrypt` (srtp-decrypt-command.ts), loaded when
 * the command runs: decrypts SDES-keyed SRTP (and the sender's SRTCP) from a
 * capture and writes the plain RTP to a pcap that Wireshark and tshark decode
 * as RTP.
 *
 * The capture is read twice, in fixed-size chunks, so memory stays flat
 * however long the call was: once to find the stream the key authenticates
 * (and the suite and rollover counter), once to decrypt it.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { CaptureReader, udpDatagramOf, type UdpDatagram } from '../net/pcap-reader';
import { LINKTYPE } from '../net/pcap-reader';
import { writePcapHeader, writePcapRecord } from '../net/pcap-writer';
import { encodeUdpPacket } from '../net/udp';
import { parseSdesKey, keyLengthError } from '../rtp/sdes-key';
import { isSrtpSuiteName, SRTP_SUITE_NAMES, SRTP_SUITES, suitesForKeyLength, type SrtpSuite } from '../rtp/srtp-suite';
import { describeStream, RtpStreamFinder, type RtpStreamCandidate } from '../rtp/rtp-stream-finder';
import { CaptureDecryption, findKeyedStream, MAX_ROC_GUESS } from '../rtp/capture-decryption';
import { hex32 } from '../rtp/rtp-packet';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliContext } from './io';
import { openInputFile } from './input-file';

const CHUNK = 64 * 1024;

/** Reads a capture file chunk by chunk, handing each UDP datagram to `onDatagram`. */
function scanCapture(
  path: string,
  onDatagram: (d: UdpDatagram, record: { seconds: number; nanoseconds: number }) => void,
  onCutShort: () => void = () => undefined,
): CaptureReader {
  const fd = openInputFile('srtp-decrypt', path);
  const reader = new CaptureReader();
  const chunk = new Uint8Array(CHUNK);
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      reader.push(chunk.subarray(0, n), (r) => {
        const d = udpDatagramOf(r.linkType, r.data);
        if (typeof d === 'string') return;
        // A datagram the capture cut at its snap length cannot be authenticated: count it, skip it.
        if (d.truncated) onCutShort();
        else onDatagram(d, r);
      });
    }
    reader.end();
  } finally {
    closeSync(fd);
  }
  return reader;
}

/** Buffers output and writes it in large pieces. */
class FileSink {
  private readonly buf = new Uint8Array(256 * 1024);
  private used = 0;
  constructor(private readonly fd: number) {}
  write(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) {
      writeSync(this.fd, bytes);
      return;
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }
  flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }
}

function parseSsrc(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^0x[0-9a-f]{1,8}$/i.test(text) ? parseInt(text, 16) : /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n > 0xffffffff)
    throw new UsageError(`srtp-decrypt: --ssrc must be a 32-bit number such as 0x1a2b3c4d, got "${text}"`);
  return n >>> 0;
}

export async function runSrtpDecrypt(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('srtp-decrypt', args, {
    key: { type: 'string' },
    suite: { type: 'string' },
    ssrc: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('srtp-decrypt: give one capture file (pcap or pcapng)');
  if (values.key === undefined)
    throw new UsageError('srtp-decrypt: --key inline:BASE64 is required (the key from the a=crypto line of the SDP)');
  if (values.out === undefined) throw new UsageError('srtp-decrypt: --out OUT.pcap is required');
  const parsed = parseSdesKey(values.key);
  if (!parsed.ok) throw new UsageError(`srtp-decrypt: --key: ${parsed.error}`);
  const key = parsed.key;
  let suites: SrtpSuite[];
  const suiteName = values.suite ?? key.suite;
  if (suiteName !== undefined) {
    if (!isSrtpSuiteName(suiteName))
      throw new UsageError(`srtp-decrypt: unknown --suite "${suiteName}"; one of: ${SRTP_SUITE_NAMES.join(', ')}`);
    if (key.suite && values.suite && key.suite !== values.suite) {
      throw new UsageError(`srtp-decrypt: --suite ${values.suite} contradicts the a=crypto line's ${key.suite}`);
    }
    const s = SRTP_SUITES[suiteName];
    if (key.keySalt.length !== s.keyLength + s.saltLength)
      throw new UsageError(`srtp-decrypt: --key: ${keyLengthError(suiteName, key.keySalt.length)}`);
    suites = [s];
  } else {
    suites = suitesForKeyLength(key.keySalt.length);
  }
  const wantedSsrc = parseSsrc(values.ssrc);
  const input = positionals[0];

  // Pass 1: the streams in the capture.
  const finder = new RtpStreamFinder();
  let datagrams = 0;
  let cutShort = 0;
  const scan = scanCapture(
    input,
    (d) => {
      datagrams++;
      finder.offer(d, d.payload);
    },
    () => cutShort++,
  );
  let candidates: RtpStreamCandidate[] = finder.candidates();
  if (wantedSsrc !== undefined) candidates = candidates.filter((c) => c.ssrc === wantedSsrc);
  if (candidates.length === 0) {
    throw new UsageError(
      `srtp-decrypt: ${wantedSsrc !== undefined ? `no RTP stream with SSRC ${hex32(wantedSsrc)}` : 'no RTP stream'} in ${input} ` +
        `(${scan.packetsRead} packets, ${datagrams} whole UDP datagrams` +
        `${cutShort ? `, ${cutShort} cut short by the capture's snap length: capture with -s 0` : ''})`,
    );
  }
  const keyed = findKeyedStream(candidates, key.keySalt, suites, { mki: key.mki?.bytes });
  const chosen = keyed?.stream ?? candidates[0];
  const suite = keyed?.suite ?? suites[0];
  const roc = keyed?.roc ?? 0;
  if (chosen.ipVersion !== 4) {
    throw new UsageError(
      `srtp-decrypt: the stream ${describeStream(chosen)} is IPv6; writing IPv6 packets is not supported yet`,
    );
  }
  const why = keyed
    ? `its packets authenticate with the key${roc > 0 ? ` (rollover counter ${roc}: the capture began after the sequence number wrapped)` : ''}`
    : `no stream authenticates with this key as ${suites.map((s) => s.name).join(' or ')}; trying the likeliest stream`;

  // Pass 2: decrypt and write.
  let fd: number;
  try {
    fd = openSync(values.out, 'w');
  } catch (e) {
    throw new UsageError(`srtp-decrypt: cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const sink = new FileSink(fd);
  const decryption = new CaptureDecryption(chosen, suite, key.keySalt, { mki: key.mki?.bytes, roc });
  let rtpWritten = 0;
  let rtcpWritten = 0;
  const firstFailures: string[] = [];
  try {
    sink.write(writePcapHeader(LINKTYPE.RAW).bytes);
    scanCapture(input, (d, time) => {
      const r = decryption.offer(d, d.payload);
      if (!r) return;
      if (!r.ok) {
        if (firstFailures.length < 3)
          firstFailures.push(`${r.kind === 'rtp' ? 'SRTP' : 'SRTCP'} ${r.reason}: ${r.detail}`);
        return;
      }
      const packet = encodeUdpPacket(
        { src: d.src, dst: d.dst, srcPort: d.srcPort, dstPort: d.dstPort, ipId: d.ipId, ttl: d.ttl },
        r.plain,
      );
      sink.write(writePcapRecord(time, packet).bytes);
      if (r.kind === 'rtp') rtpWritten++;
      else rtcpWritten++;
    });
    sink.flush();
  } finally {
    closeSync(fd);
  }

  const srtp = decryption.srtp;
  const srtcp = decryption.srtcp;
  const summary = {
    packets: srtp.packets,
    decrypted: srtp.decrypted,
    authFailures: srtp.authFailures,
    replays: srtp.replays,
    malformed: srtp.malformed,
    suite: suite.name,
    roc,
    stream: {
      src: `${chosen.src}:${chosen.srcPort}`,
      dst: `${chosen.dst}:${chosen.dstPort}`,
      ssrc: hex32(chosen.ssrc),
      payloadTypes: chosen.payloadTypes,
      authenticated: keyed !== undefined,
      why,
    },
    srtcp: {
      packets: srtcp.packets,
      decrypted: srtcp.decrypted,
      authFailures: srtcp.authFailures,
      replays: srtcp.replays,
    },
    out: values.out,
    rtpWritten,
    rtcpWritten,
    otherStreams: candidates.filter((c) => c !== chosen).map(describeStream),
    cutShort,
  };
  const ok = srtp.decrypted > 0 && srtp.authFailures === 0 && srtcp.authFailures === 0;
  if (values.json) {
    ctx.stdout(JSON.stringify(summary, null, 2) + '\n');
  } else {
    const lines = [
      `stream: ${describeStream(chosen)}`,
      `  chosen because ${why}`,
      `suite: ${suite.name}`,
      `SRTP:  ${srtp.packets} packets, ${srtp.decrypted} decrypted, ${srtp.authFailures} authentication failures, ${srtp.replays} replays`,
      `SRTCP: ${srtcp.packets} packets, ${srtcp.decrypted} decrypted, ${srtcp.authFailures} authentication failures, ${srtcp.replays} replays`,
      ...firstFailures.map((f) => `  dropped: ${f}`),
      ...(cutShort ? [`skipped ${cutShort} UDP datagrams the capture cut short (snap length); capture with -s 0`] : []),
      `wrote ${values.out}: ${rtpWritten} RTP and ${rtcpWritten} RTCP packets`,
      `  tshark -r ${values.out} -d udp.port==${chosen.dstPort},rtp${rtcpWritten ? ` -d udp.port==${chosen.dstPort + 1},rtcp` : ''}`,
    ];
    if (summary.otherStreams.length)
      lines.push(
        `other RTP streams (another key, or --ssrc): ${summary.otherStreams.length}`,
        ...summary.otherStreams.slice(0, 5).map((s) => `  ${s}`),
      );
    if (!keyed)
      lines.push(
        `verdict: the key does not decrypt this capture — check the suite, the key of this direction (each side sends its own), and an MKI (|1:4) on the a=crypto line; ROC 0–${MAX_ROC_GUESS} were tried`,
      );
    ctx.stdout(lines.join('\n') + '\n');
  }
  return ok ? EXIT.ok : EXIT.failed;
}
