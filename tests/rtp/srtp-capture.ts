/**
 * Builds capture files of a secure call for the srtp-decrypt tests and the
 * benchmark: both directions of G.711 media protected by the independent
 * node:crypto SRTP (reference-srtp.ts), the caller's SRTCP, and unrelated
 * SIP on port 5060, written packet by packet to a pcap file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { G711Packetizer } from '../../sim/rtp/g711-packetizer';
import { writeRtpPacket } from '../../sim/rtp/rtp-packet';
import { writeSenderReportCompound } from '../../sim/rtp/rtcp-packet';
import { writeUdpPacket } from '../../sim/net/udp';
import { writePcapHeader, writePcapRecord } from '../../sim/net/pcap-writer';
import { LINKTYPE } from '../../sim/net/pcap-reader';
import { toBase64, utf8 } from '../../sim/wire';
import { ReferenceSrtp, type ReferenceSuite } from './reference-srtp';

export interface SecureCallCapture {
  /** The caller's key as its a=crypto line carries it. */
  callerKey: string;
  calleeKey: string;
  callerSsrc: number;
  /** The plain RTP packets the caller sent, in order. */
  callerRtp: Uint8Array[];
  callerPort: number;
  sbcPort: number;
}

export interface CaptureOptions {
  suite?: ReferenceSuite;
  packets?: number;
  /** Sequence number of the caller's first packet (start near 65535 to cross a wrap). */
  firstSequence?: number;
  /** ROC of the first packet: a capture that begins after the sequence number wrapped. */
  firstRoc?: number;
  /** Caller packet numbers to corrupt (one bit of the payload flipped). */
  tamper?: number[];
  /** Caller packet numbers sent twice. */
  duplicate?: number[];
  /** Wrap each IPv4 packet in an Ethernet header. */
  ethernet?: boolean;
  /** An SRTCP sender report every this many packets (0: none). */
  rtcpEvery?: number;
}

const PBX = '203.0.113.10';
const SBC = '198.51.100.20';

function tone(samples: number, hz: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)));
}

export function writeSecureCallCapture(path: string, o: CaptureOptions = {}): SecureCallCapture {
  const suite = o.suite ?? 'AES_CM_128_HMAC_SHA1_80';
  const keyLength = {
    AES_CM_128_HMAC_SHA1_80: 30,
    AES_CM_128_HMAC_SHA1_32: 30,
    AES_256_CM_HMAC_SHA1_80: 46,
    AEAD_AES_128_GCM: 28,
    AEAD_AES_256_GCM: 44,
  }[suite];
  const callerKeySalt = Uint8Array.from({ length: keyLength }, (_, i) => (i * 29 + 3) & 0xff);
  const calleeKeySalt = Uint8Array.from({ length: keyLength }, (_, i) => (i * 53 + 11) & 0xff);
  const caller = new ReferenceSrtp(suite, callerKeySalt);
  const callee = new ReferenceSrtp(suite, calleeKeySalt);
  const n = o.packets ?? 200;
  const callerSsrc = 0x5ec0ca11;
  const txA = new G711Packetizer('pcmu', {
    ssrc: callerSsrc,
    sequenceNumber: o.firstSequence ?? 1000,
    timestamp: 160_000,
  });
  const txB = new G711Packetizer('pcma', { ssrc: 0x0b0b0b0b, sequenceNumber: 30_000, timestamp: 9_999 });
  const frameA = tone(160, 440);
  const frameB = tone(160, 1004);
  const fd = openSync(path, 'w');
  const linkType = o.ethernet ? LINKTYPE.ETHERNET : LINKTYPE.RAW;
  writeSync(fd, writePcapHeader(linkType).bytes);
  let ipId = 1;
  let ms = 0;
  const send = (src: string, dst: string, srcPort: number, dstPort: number, payload: Uint8Array) => {
    let bytes = writeUdpPacket(
      { src, dst, srcPort, dstPort, ipId: ipId++ & 0xffff },
      { bytes: payload, fields: [] },
    ).bytes;
    if (o.ethernet) bytes = Uint8Array.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, ...bytes]);
    writeSync(
      fd,
      writePcapRecord({ seconds: 1_795_000_000 + Math.floor(ms / 1000), nanoseconds: (ms % 1000) * 1_000_000 }, bytes)
        .bytes,
    );
  };
  const callerRtp: Uint8Array[] = [];
  let roc = o.firstRoc ?? 0;
  let lastSeq = -1;
  let rtcpIndex = 0;
  send(PBX, SBC, 5060, 5060, utf8('OPTIONS sip:sbc1.trunks.quillfeather.example SIP/2.0\r\nContent-Length: 0\r\n\r\n'));
  for (let i = 0; i < n; i++) {
    const a = txA.packetize(frameA)[0];
    if (lastSeq >= 0 && a.sequenceNumber < lastSeq) roc++;
    lastSeq = a.sequenceNumber;
    const plain = writeRtpPacket(a).bytes;
    callerRtp.push(plain);
    const protectedA = caller.protect(plain, roc);
    if (o.tamper?.includes(i)) protectedA[20] ^= 0x01;
    send(PBX, SBC, 40000, 20000, protectedA);
    if (o.duplicate?.includes(i)) send(PBX, SBC, 40000, 20000, protectedA);
    send(SBC, PBX, 20000, 40000, callee.protect(writeRtpPacket(txB.packetize(frameB)[0]).bytes, 0));
    if (o.rtcpEvery && i % o.rtcpEvery === o.rtcpEvery - 1) {
      const sr = writeSenderReportCompound(
        {
          ssrc: callerSsrc,
          wallClockMs: 1_795_000_000_000 + ms,
          rtpTimestamp: txA.nextTimestamp,
          packetCount: txA.packetsSent,
          octetCount: txA.octetsSent,
          reports: [],
        },
        'pbx@pbx.harbourstreet.example',
      );
      send(PBX, SBC, 40001, 20001, caller.protectRtcp(sr.bytes, rtcpIndex++));
    }
    ms += 20;
  }
  closeSync(fd);
  return {
    callerKey: `inline:${toBase64(callerKeySalt)}`,
    calleeKey: `inline:${toBase64(calleeKeySalt)}`,
    callerSsrc,
    callerRtp,
    callerPort: 40000,
    sbcPort: 20000,
  };
}
