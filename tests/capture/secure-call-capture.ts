/**
 * A secure call's capture of any length, for the analyze tests and the
 * benchmark: the signalling of a `secure-call` run (TCP, TLS 1.3, REGISTER,
 * INVITE with SDES, BYE) exactly as the lab put it on the wire, with the
 * media replaced by as many SRTP packets as asked for, protected by the
 * independent node:crypto SRTP (tests/rtp/reference-srtp.ts) with the keys
 * the run's SDP carried, sent between the addresses its SDP named. Written
 * packet by packet to a classic pcap (raw IP) beside its NSS key log, the
 * pair tshark reads with `-o tls.keylog_file:`.
 */
import 'reflect-metadata';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import type { CarrierProfile, Timeline } from '../../sim/index';
import { runScenario } from '../../sim/index';
import { G711Packetizer } from '../../sim/rtp/g711-packetizer';
import { writeRtpPacket } from '../../sim/rtp/rtp-packet';
import { encodeUdpPacket } from '../../sim/net/udp';
import { writePcapHeader, writePcapRecord } from '../../sim/net/pcap-writer';
import { LINKTYPE } from '../../sim/net/pcap-reader';
import { fromBase64, fromHex } from '../../sim/wire/bytes';
import { ReferenceSrtp, type ReferenceSuite } from '../rtp/reference-srtp';

const CARRIER = JSON.parse(
  readFileSync(new URL('../../content/carrier.json', import.meta.url), 'utf8'),
) as CarrierProfile;

/** What one side's SDP said: where it receives media, and the key it sends with. */
export interface SdpSide {
  address: string;
  port: number;
  suite: ReferenceSuite;
  keySalt: Uint8Array;
}

export interface SecureCallCapture {
  pcap: string;
  keyLog: string;
  pbx: SdpSide;
  sbc: SdpSide;
  /** Media packets written each way. */
  perDirection: number;
  /** The plain RTP the PBX sent, when kept. */
  pbxRtp?: Uint8Array[];
}

let run: Promise<Timeline> | undefined;

/** The secure call's run, once per test process. */
export function secureCallRun(): Promise<Timeline> {
  run ??= runScenario('secure-call', { seed: 7, carrier: CARRIER });
  return run;
}

/** The SDP a step's endpoints read (the SIP inside the TLS record), as text. */
function sdpOf(t: Timeline, summary: string): SdpSide {
  const step = t.steps.find((s) => s.protocol === 'SIP' && s.summary === summary && /a=crypto/.test(text(s)));
  if (!step) throw new Error(`the run has no ${summary} with an SDP`);
  const body = text(step);
  const address = /c=IN IP4 (\S+)/.exec(body)![1];
  const port = Number(/m=audio (\d+)/.exec(body)![1]);
  const crypto = /a=crypto:\d+ (\S+) inline:([A-Za-z0-9+/=]+)/.exec(body)!;
  return { address, port, suite: crypto[1] as ReferenceSuite, keySalt: fromBase64(crypto[2])! };
}

function text(step: Timeline['steps'][number]): string {
  return step.views.pbx.layers.map((l) => new TextDecoder('latin1').decode(fromHex(l.bytes))).join('\n');
}

export interface CaptureOptions {
  /** Media packets each way. */
  perDirection: number;
  /** Sequence number of the PBX's first packet: near 65535 to cross a wrap. */
  firstSequence?: number;
  /** Keep the PBX's plain RTP to compare with what analyze decrypts. */
  keepRtp?: boolean;
}

export async function writeSecureCallCapture(dir: string, o: CaptureOptions): Promise<SecureCallCapture> {
  const t = await secureCallRun();
  const pbx = sdpOf(t, 'INVITE');
  const sbc = sdpOf(t, '200 OK');
  const pcap = `${dir}/secure-call-${o.perDirection}.pcap`;
  const keyLog = `${dir}/secure-call-${o.perDirection}.keylog`;
  writeFileSync(keyLog, t.keyLog!);
  const fd = openSync(pcap, 'w');
  const start = Date.parse(t.startedAt);
  let chunk: Uint8Array[] = [];
  let size = 0;
  let last = 0;
  const write = (at: number, bytes: Uint8Array) => {
    // Packets are written in order, so times never go back.
    const ms = (last = Math.max(last, at));
    const r = writePcapRecord(
      { seconds: Math.floor(ms / 1000), nanoseconds: Math.round((ms % 1000) * 1e6) },
      bytes,
    ).bytes;
    chunk.push(r);
    size += r.length;
    if (size > 1 << 20) flush();
  };
  const flush = () => {
    for (const c of chunk) writeSync(fd, c);
    chunk = [];
    size = 0;
  };
  writeSync(fd, writePcapHeader(LINKTYPE.RAW).bytes);
  const signalling = t.steps.filter((s) => s.transport === 'tcp');
  const ack = signalling.findIndex((s) => s.protocol === 'SIP' && s.summary === 'ACK');
  for (const s of signalling.slice(0, ack + 1)) write(start + s.time, fromHex(s.bytes));
  // The media: both directions every 20 ms, each side sending from the port its own SDP named.
  const mediaStart = start + signalling[ack].time + 20;
  const fromPbx = new ReferenceSrtp(pbx.suite, pbx.keySalt);
  const fromSbc = new ReferenceSrtp(sbc.suite, sbc.keySalt);
  const txPbx = new G711Packetizer('pcmu', {
    ssrc: 0x2a5e11ed,
    sequenceNumber: o.firstSequence ?? 40_000,
    timestamp: 8000,
  });
  const txSbc = new G711Packetizer('pcmu', { ssrc: 0x5bc0ffee, sequenceNumber: 1000, timestamp: 160_000 });
  const tone = (hz: number) =>
    Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * hz * i) / 8000)));
  const frames = [tone(440), tone(1004)];
  const pbxRtp: Uint8Array[] = [];
  let rocPbx = 0;
  let lastPbx = -1;
  let ipId = 1;
  for (let i = 0; i < o.perDirection; i++) {
    const ms = mediaStart + i * 20;
    const a = txPbx.packetize(frames[0])[0];
    if (lastPbx >= 0 && a.sequenceNumber < lastPbx) rocPbx++;
    lastPbx = a.sequenceNumber;
    const plain = writeRtpPacket(a).bytes;
    if (o.keepRtp) pbxRtp.push(plain);
    const udp = { ipId: ipId++ & 0xffff };
    write(
      ms,
      encodeUdpPacket(
        { ...udp, src: pbx.address, dst: sbc.address, srcPort: pbx.port, dstPort: sbc.port },
        fromPbx.protect(plain, rocPbx),
      ),
    );
    const b = writeRtpPacket(txSbc.packetize(frames[1])[0]).bytes;
    write(
      ms + 1,
      encodeUdpPacket(
        { ipId: ipId++ & 0xffff, src: sbc.address, dst: pbx.address, srcPort: sbc.port, dstPort: pbx.port },
        fromSbc.protect(b, 0),
      ),
    );
  }
  // The hang-up and what follows, after the media.
  const bye = t.steps.find((s) => s.protocol === 'SIP' && s.summary === 'BYE')!;
  const shift = mediaStart + o.perDirection * 20 - (start + bye.time);
  for (const s of signalling.slice(ack + 1)) write(start + s.time + shift, fromHex(s.bytes));
  flush();
  closeSync(fd);
  return { pcap, keyLog, pbx, sbc, perDirection: o.perDirection, ...(o.keepRtp ? { pbxRtp } : {}) };
}
