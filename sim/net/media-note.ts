/**
 * What a tap remembers about a media stream from an SDP it read in clear
 * (RFC 8866 §5.7, §5.14; RFC 4568 §9.1): the profile (RTP/AVP is plain RTP,
 * RTP/SAVP is SRTP, RFC 3711 §12) and the SDES keys. With SDES, each side's
 * a=crypto carries the key it will send with (RFC 4568 §6.1), and its c= and
 * m= lines the address it sends from and listens on, so the note is filed
 * under that address: the source of the media the key protects.
 */
import type { SrtpSuiteName } from '../rtp/srtp-suite';
import { formatEndpoint, type Endpoint } from './address';

export interface MediaNote {
  proto: string;
  keys: Array<{ suite: SrtpSuiteName; keySalt: Uint8Array }>;
  /** Which message described it: `INVITE`, `200 OK`. */
  learnedFrom: string;
}

export function mediaNoteKey(e: Endpoint): string {
  return `media ${formatEndpoint(e)}`;
}
