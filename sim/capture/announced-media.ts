/**
 * What an SDP offer or answer says about media (RFC 3264 §5–§6): where its
 * sender wants to receive each stream (the c= address, RFC 8866 §5.7, and
 * the m= port, §5.14; RTCP on the next port up, RFC 3550 §11, or on a port
 * of its own, RFC 3605, or on the same port, RFC 5761), whether it is SRTP
 * (RTP/SAVP, RFC 3711 §12), and, with SDES, the master keys its sender will
 * protect its own media with (a=crypto, RFC 4568 §6.1, §7.1: an offer lists
 * one per suite, an answer the one it chose).
 *
 * A stream in the capture is matched to these announcements by its
 * addresses: the stream sent to an announced address is sent by the other
 * side of the call, with that side's key.
 */
import type { Party } from '../timeline';
import { isParseError } from '../wire/parse-error';
import { headerValue, sipSummary, type SipMessage } from '../sip/message';
import { attributes, mediaConnection, parseSdp } from '../sip/sdp';
import { parseCryptoAttribute } from '../sip/sdes';
import { SRTP_SUITES, isSrtpSuiteName, type SrtpSuiteName } from '../rtp/srtp-suite';

export interface AnnouncedKey {
  tag: number;
  /** The suite as written, which may be one this lab does not implement. */
  suite: string;
  /** Master key || master salt. */
  keySalt: Uint8Array;
  /** The MKI each packet carries (RFC 4568 §6.1 `|MKI:length`), as bytes. */
  mki?: Uint8Array;
}

export interface AnnouncedMedia {
  /** Who sent the SDP: the side that receives media at the address, and sends with the keys. */
  party: Party;
  /** Packet number of the message that carried it. */
  packet: number;
  /** `INVITE`, `200 OK`. */
  message: string;
  callId: string;
  media: string;
  address: string;
  port: number;
  rtcpPort: number;
  rtcpMux: boolean;
  /** `RTP/AVP` (plain RTP) or `RTP/SAVP` (SRTP). */
  proto: string;
  keys: AnnouncedKey[];
}

export function isSupportedSuite(suite: string): suite is SrtpSuiteName {
  return isSrtpSuiteName(suite);
}

/** The media an SDP body in `m` announces; none when it has no SDP or the SDP does not parse. */
export function announcedMedia(m: SipMessage, party: Party, packet: number): AnnouncedMedia[] {
  const type = headerValue(m, 'Content-Type')?.split(';')[0].trim().toLowerCase();
  if (type !== 'application/sdp' || m.body.length === 0) return [];
  let sdp;
  try {
    sdp = parseSdp(m.body).sdp;
  } catch (e) {
    if (isParseError(e)) return [];
    throw e;
  }
  const out: AnnouncedMedia[] = [];
  for (const section of sdp.media) {
    const c = mediaConnection(sdp, section);
    if (!c || section.port === 0) continue;
    const rtcpAttribute = attributes(section.lines, 'rtcp')[0];
    const rtcpPort = rtcpAttribute && /^\d+/.test(rtcpAttribute) ? Number(/^\d+/.exec(rtcpAttribute)![0]) : undefined;
    const keys: AnnouncedKey[] = [];
    for (const value of attributes(section.lines, 'crypto')) {
      const crypto = parseCryptoAttribute(value);
      if ('error' in crypto || !crypto.keys[0]) continue;
      const key = crypto.keys[0];
      const suite = isSrtpSuiteName(crypto.suite) ? SRTP_SUITES[crypto.suite] : undefined;
      // A key of the wrong length for its suite cannot key it (RFC 4568 §6.1); it is skipped here and reported by the stream.
      if (suite && key.keySalt.length !== suite.keyLength + suite.saltLength) continue;
      keys.push({
        tag: crypto.tag,
        suite: crypto.suite,
        keySalt: key.keySalt,
        ...(key.mki ? { mki: mkiBytes(key.mki.value, key.mki.length) } : {}),
      });
    }
    out.push({
      party,
      packet,
      message: sipSummary(m),
      callId: headerValue(m, 'Call-ID') ?? '',
      media: section.media,
      address: c.address,
      port: section.port,
      rtcpPort: rtcpPort ?? section.port + 1,
      rtcpMux: attributes(section.lines, 'rtcp-mux').length > 0,
      proto: section.proto,
      keys,
    });
  }
  return out;
}

/** The MKI as the `length` bytes every packet carries, big-endian (RFC 3711 §3.1). */
function mkiBytes(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** Whether an SDP announces SRTP: a secure profile (RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP; RFC 3711 §12, RFC 5124). */
export function isSecureProfile(proto: string): boolean {
  return /SAVP/i.test(proto);
}
