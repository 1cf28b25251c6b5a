/**
 * The field trees of protected packets, as anyone on the path sees them:
 * every byte of an SRTP packet (RFC 3711 §3.1; RFC 7714 §8) and of an SRTCP
 * packet (RFC 3711 §3.4; RFC 7714 §9) is named — the header in clear, the
 * encrypted payload, the MKI, the authentication tag, SRTCP's E flag and
 * index. Reading them needs the suite (for the tag length) but no key.
 */
import { ByteReader } from '../wire/reader';
import type { Annotation, Field } from '../wire/field';
import { toHex } from '../wire/bytes';
import { ParseError } from '../wire/parse-error';
import { readRtpHeader, hex32, type ParsedRtpHeader } from './rtp-packet';
import { describeRtcpType } from './rtcp-packet';
import type { SrtpSuite } from './srtp-suite';

export interface ProtectedLayout {
  suite: SrtpSuite;
  /** Bytes of MKI in each packet (0 when the a=crypto line had none). */
  mkiLength?: number;
}

function tagAnnotation(suite: SrtpSuite, rtcp: boolean) {
  if (suite.kind === 'aead-aes-gcm') {
    return {
      name: 'GCM authentication tag',
      note: rtcp
        ? 'AES-GCM tag over the first eight bytes, the E flag and index, and the ciphertext.'
        : 'AES-GCM tag over the clear header (associated data) and the ciphertext; the ROC enters through the nonce.',
      spec: rtcp ? 'RFC 7714 §9.2' : 'RFC 7714 §8.2',
    };
  }
  const bits = (rtcp ? suite.srtcpTagLength : suite.srtpTagLength) * 8;
  return {
    name: 'Authentication tag',
    note: rtcp
      ? `HMAC-SHA1 over the packet, the E flag and the index, cut to ${bits} bits.`
      : `HMAC-SHA1 over the header, the encrypted payload and the rollover counter (which is never sent), cut to ${bits} bits.`,
    spec: rtcp ? 'RFC 3711 §3.4' : 'RFC 3711 §4.2.1',
  };
}

/** What an SRTP packet's payload, tag and MKI are, per suite: made once, as every packet of a stream is described. */
interface SrtpTrailerAnnotations {
  payload: Annotation<Uint8Array>;
  tag: Annotation<Uint8Array>;
}

const srtpAnnotations = new Map<SrtpSuite, SrtpTrailerAnnotations>();

function srtpAnnotationsFor(suite: SrtpSuite): SrtpTrailerAnnotations {
  let a = srtpAnnotations.get(suite);
  if (!a) {
    const gcm = suite.kind === 'aead-aes-gcm';
    // Made once per length: a stream's packets are all of one size, and share the words.
    const lengthTexts: string[] = [];
    a = {
      payload: {
        name: 'Encrypted payload',
        value: (b) => (lengthTexts[b.length] ??= `${b.length} bytes of ciphertext`),
        note: gcm
          ? 'AES-GCM ciphertext: without the key it is indistinguishable from random bytes.'
          : 'The payload XORed with the AES counter-mode keystream for this SSRC and packet index.',
        spec: gcm ? 'RFC 7714 §8.2' : 'RFC 3711 §4.1.1',
      },
      tag: { ...tagAnnotation(suite, false), value: toHex },
    };
    srtpAnnotations.set(suite, a);
  }
  return a;
}

const MKI: Annotation<Uint8Array> = {
  name: 'MKI',
  value: toHex,
  note: 'Says which master key protected this packet.',
  spec: 'RFC 3711 §3.1',
};

/** Names every byte of an SRTP packet. `base` is its offset in an outer packet. */
export function describeSrtpPacket(
  bytes: Uint8Array,
  layout: ProtectedLayout,
  base = 0,
): { header: ParsedRtpHeader; fields: Field[] } {
  const { suite } = layout;
  const mkiLength = layout.mkiLength ?? 0;
  const trailer = suite.srtpTagLength + mkiLength;
  const r = new ByteReader(bytes, base);
  const srtp = r.group({ name: 'SRTP', layer: 'srtp', value: suite.name, spec: 'RFC 3711 §3.1' });
  const header = readRtpHeader(r);
  const payloadLength = bytes.length - header.headerLength - trailer;
  if (payloadLength < 0) {
    throw new ParseError(
      'truncated',
      `too short for ${suite.name}'s ${trailer}-byte trailer after the header`,
      base + r.offset,
      'SRTP',
    );
  }
  const annotations = srtpAnnotationsFor(suite);
  r.view(payloadLength, annotations.payload);
  // RFC 3711 §3.1 puts the MKI before the tag; with AEAD the tag is part of the ciphertext and the MKI follows it.
  if (suite.kind === 'aead-aes-gcm') {
    r.view(suite.srtpTagLength, annotations.tag);
    if (mkiLength > 0) r.view(mkiLength, MKI);
  } else {
    if (mkiLength > 0) r.view(mkiLength, MKI);
    r.view(suite.srtpTagLength, annotations.tag);
  }
  srtp({ value: `${suite.name}, seq ${header.sequenceNumber}, SSRC ${hex32(header.ssrc)}` });
  r.expectEnd('SRTP');
  return { header, fields: r.fields };
}

export interface SrtcpSummary {
  ssrc: number;
  packetType: number;
  encrypted: boolean;
  index: number;
}

/** Names every byte of an SRTCP packet. */
export function describeSrtcpPacket(
  bytes: Uint8Array,
  layout: ProtectedLayout,
  base = 0,
): { summary: SrtcpSummary; fields: Field[] } {
  const { suite } = layout;
  const mkiLength = layout.mkiLength ?? 0;
  const gcm = suite.kind === 'aead-aes-gcm';
  const minimum = 8 + 4 + mkiLength + suite.srtcpTagLength;
  const r = new ByteReader(bytes, base);
  if (bytes.length < minimum) {
    throw new ParseError(
      'truncated',
      `an SRTCP packet of ${suite.name} is at least ${minimum} bytes, got ${bytes.length}`,
      base,
      'SRTCP',
    );
  }
  // E || index sits after the ciphertext and tag (AEAD) or after the ciphertext, before MKI and tag (AES-CM).
  const trailerAt = gcm ? bytes.length - mkiLength - 4 : bytes.length - suite.srtcpTagLength - mkiLength - 4;
  const eIndex =
    ((bytes[trailerAt] << 24) | (bytes[trailerAt + 1] << 16) | (bytes[trailerAt + 2] << 8) | bytes[trailerAt + 3]) >>>
    0;
  const encrypted = (eIndex & 0x80000000) !== 0;
  const srtcp = r.group({ name: 'SRTCP', layer: 'srtcp', value: suite.name, spec: 'RFC 3711 §3.4' });
  const first = r.uint8({
    name: 'V, P, count',
    value: (b) => `version ${b >> 6}, padding ${b & 0x20 ? 'yes' : 'no'}, count ${b & 0x1f}`,
    spec: 'RFC 3550 §6.4.1',
  });
  if (first >> 6 !== 2) throw r.error('invalid_value', `RTCP version is ${first >> 6}, not 2`, 'V');
  const packetType = r.uint8({
    name: 'Packet type',
    value: describeRtcpType,
    note: 'The first eight bytes stay in clear so the receiver can find its context.',
    spec: 'RFC 3711 §3.4',
  });
  r.uint16({
    name: 'Length',
    value: (v) => `${v} (${(v + 1) * 4} bytes of the first RTCP packet)`,
    spec: 'RFC 3550 §6.4.1',
  });
  const ssrc = r.uint32({ name: 'SSRC of sender', value: hex32, spec: 'RFC 3550 §6.4.1' });
  const bodyEnd = gcm ? trailerAt - suite.srtcpTagLength : trailerAt;
  r.bytes(bodyEnd - 8, {
    name: encrypted ? 'Encrypted RTCP' : 'RTCP (not encrypted)',
    value: (b) => `${b.length} bytes`,
    note: encrypted
      ? 'The rest of the compound RTCP packet (report blocks, SDES CNAME), encrypted.'
      : 'Sent in clear but authenticated (E flag 0).',
    spec: 'RFC 3711 §3.4',
  });
  if (gcm) r.bytes(suite.srtcpTagLength, { ...tagAnnotation(suite, true), value: toHex });
  const index =
    r.uint32({
      name: 'E flag, SRTCP index',
      value: (v) => `E=${v >>> 31} (${v >>> 31 ? 'encrypted' : 'not encrypted'}), index ${v & 0x7fffffff}`,
      note: 'SRTCP sends its 31-bit packet index in clear, unlike SRTP’s rollover counter.',
      spec: 'RFC 3711 §3.4',
    }) & 0x7fffffff;
  if (mkiLength > 0) r.bytes(mkiLength, { name: 'MKI', value: toHex, spec: 'RFC 3711 §3.4' });
  if (!gcm) r.bytes(suite.srtcpTagLength, { ...tagAnnotation(suite, true), value: toHex });
  srtcp({ value: `${suite.name}, ${describeRtcpType(packetType)}, index ${index}` });
  r.expectEnd('SRTCP');
  return { summary: { ssrc, packetType, encrypted, index }, fields: r.fields };
}
