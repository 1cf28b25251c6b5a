/**
 * The SDP offer/answer of a secure call (RFC 3264 §5–§6) with SDES keys
 * (RFC 4568 §7): the PBX offers RTP/SAVP with one `a=crypto` line per suite it
 * can do, each with a fresh key; the SBC answers with the first suite in the
 * carrier's order of preference that the offer has in a usable form, and its
 * own key for it. Each side's key protects what that side sends.
 *
 * The answer fails with 488 Not Acceptable Here (RFC 3261 §21.4.26) when the
 * carrier requires SRTP and the offer is plain RTP/AVP, or when no offered
 * crypto attribute is acceptable: unknown or unwanted suite, an MKI the
 * carrier does not take, a lifetime beyond the suite's limit, or a session
 * parameter that weakens SRTP (UNENCRYPTED_SRTP and friends, RFC 4568 §6.3).
 *
 * A stream the offer marks sendonly, recvonly or inactive (a call put on
 * hold) is answered with the matching direction (RFC 3264 §6.1).
 */
import type { RandomSource } from '../crypto/random';
import type { CarrierProfile } from '../carrier';
import { SRTP_SUITES, isSrtpSuiteName, type SrtpSuiteName } from '../rtp/srtp-suite';
import {
  MAX_SRTP_LIFETIME,
  formatCryptoAttribute,
  keyMaterial,
  lifetimePackets,
  parseCryptoAttribute,
  type CryptoAttribute,
  type SrtpKeyMaterial,
} from './sdes';
import { attributes, mediaConnection, type MediaSection, type SdpLine, type SessionDescription } from './sdp';
import { ipv4Bytes, ipv6Bytes } from '../net/address';

export type SrtpPolicy = CarrierProfile['srtp'];

/** What both sides agreed: the suite and the keys each will send with. */
export interface SrtpAgreement {
  suite: SrtpSuiteName;
  tag: number;
  /** The key the offerer (PBX) encrypts its media with. */
  offerer: SrtpKeyMaterial;
  /** The key the answerer (SBC) encrypts its media with. */
  answerer: SrtpKeyMaterial;
}

/** Why a crypto attribute or an offer was not acceptable. */
export type NegotiationFailure =
  | 'srtp_required'
  | 'no_common_suite'
  | 'no_audio'
  | 'no_connection_address'
  | 'no_common_codec'
  | 'malformed_crypto'
  | 'answer_mismatch';

export interface LocalMedia {
  address: string;
  port: number;
  /** RTP payload types this side can send, in preference order (RFC 3551 §6: 0 PCMU, 8 PCMA). */
  payloadTypes: number[];
  /** For the o= line (RFC 8866 §5.2). */
  username: string;
  sessionId: string;
  /** The o= line's sess-version: the session id at first, one more for each changed offer (RFC 3264 §8). */
  version?: string;
}

const RTPMAP: Record<number, string> = { 0: 'PCMU/8000', 8: 'PCMA/8000', 101: 'telephone-event/8000' };

function sessionLines(local: LocalMedia): SessionDescription['session'] {
  const ip = local.address.includes(':') ? 'IP6' : 'IP4';
  return [
    { type: 'v', value: '0' },
    {
      type: 'o',
      value: `${local.username} ${local.sessionId} ${local.version ?? local.sessionId} IN ${ip} ${local.address}`,
    },
    { type: 's', value: '-' },
    { type: 'c', value: `IN ${ip} ${local.address}` },
    { type: 't', value: '0 0' },
  ];
}

function freshKey(random: RandomSource, suite: SrtpSuiteName): Uint8Array {
  const s = SRTP_SUITES[suite];
  return random.bytes(s.keyLength + s.saltLength);
}

export interface Offer {
  sdp: SessionDescription;
  /** The attributes offered, by tag: the offerer's own keys. */
  crypto: CryptoAttribute[];
}

/** An offer of one audio stream: RTP/SAVP with a key per suite, or plain RTP/AVP. */
export function buildOffer(
  local: LocalMedia,
  media: {
    secure: boolean;
    suites: readonly SrtpSuiteName[];
    lifetime?: string;
    mki?: { value: number; length: number };
  },
  random: RandomSource,
): Offer {
  const crypto: CryptoAttribute[] = media.secure
    ? media.suites.map((suite, i) => ({
        tag: i + 1,
        suite,
        keys: [
          {
            keySalt: freshKey(random, suite),
            ...(media.lifetime ? { lifetime: media.lifetime } : {}),
            ...(media.mki ? { mki: media.mki } : {}),
          },
        ],
        sessionParams: [],
      }))
    : [];
  const section: MediaSection = {
    media: 'audio',
    port: local.port,
    proto: media.secure ? 'RTP/SAVP' : 'RTP/AVP',
    formats: local.payloadTypes.map(String),
    lines: [
      ...local.payloadTypes
        .filter((pt) => RTPMAP[pt])
        .map((pt) => ({ type: 'a', value: `rtpmap:${pt} ${RTPMAP[pt]}` })),
      ...crypto.map((c) => ({ type: 'a', value: `crypto:${formatCryptoAttribute(c)}` })),
    ],
  };
  return { sdp: { session: sessionLines(local), media: [section] }, crypto };
}

/** Whether the carrier can use an offered crypto attribute, and if not, why (RFC 4568 §7.1.2). */
export function cryptoProblem(c: CryptoAttribute, policy: SrtpPolicy): string | undefined {
  if (!isSrtpSuiteName(c.suite)) return `${c.suite} is not an SRTP suite the lab knows`;
  if (!policy.suites.includes(c.suite)) return `${c.suite} is not among the carrier's suites`;
  for (const k of c.keys) {
    if (k.mki && !policy.acceptMki)
      return `MKI ${k.mki.value}:${k.mki.length} is not accepted by the carrier (RFC 4568 §6.1)`;
    if (k.lifetime !== undefined && lifetimePackets(k.lifetime) > MAX_SRTP_LIFETIME) {
      return `lifetime ${k.lifetime} exceeds the suite's 2^48 packets (RFC 3711 §9.2)`;
    }
  }
  for (const p of c.sessionParams) {
    if (/^UN(ENCRYPTED_SRTP|ENCRYPTED_SRTCP|AUTHENTICATED_SRTP)$/.test(p))
      return `${p} turns SRTP protection off (RFC 4568 §6.3.2–§6.3.4)`;
    if (/^KDR=/.test(p) && p !== 'KDR=0')
      return `${p}: the lab derives session keys once (key derivation rate 0, RFC 3711 §4.3.1)`;
    if (/^(FEC_ORDER=|FEC_KEY=|WSH=)/.test(p) || p.startsWith('-')) continue; // RFC 4568 §6.3.5–§6.3.7
    if (!/^KDR=0$/.test(p)) return `unknown mandatory session parameter ${p} (RFC 4568 §6.3.7)`;
  }
  return undefined;
}

/** Which way media flows on a stream (RFC 3264 §5.1, RFC 4566 §6). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/** The offer's direction for a stream: its own attribute, else the session's, else sendrecv (RFC 4566 §6). */
function offeredDirection(offer: SessionDescription, stream: MediaSection): MediaDirection {
  const named = (lines: readonly SdpLine[]) =>
    DIRECTIONS.find((d) => lines.some((l) => l.type === 'a' && l.value.trim() === d));
  return named(stream.lines) ?? named(offer.session) ?? 'sendrecv';
}

/** RFC 3264 §6.1: sendonly is answered recvonly, recvonly sendonly, inactive inactive (a call put on hold). */
const ANSWER_DIRECTION: Record<MediaDirection, MediaDirection> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

export type AnswerResult =
  | {
      ok: true;
      sdp: SessionDescription;
      agreement?: SrtpAgreement;
      /** The answerer's direction on the audio stream: whether it sends, receives, both or neither. */
      direction: MediaDirection;
      rejected: Array<{ tag: number; problem: string }>;
    }
  | {
      ok: false;
      status: 488;
      failure: NegotiationFailure;
      detail: string;
      rejected: Array<{ tag: number; problem: string }>;
    };

/** The answerer's side (RFC 3264 §6, RFC 4568 §7.1.2), with the carrier's SRTP policy. */
export function answerOffer(
  offer: SessionDescription,
  policy: SrtpPolicy,
  local: LocalMedia,
  random: RandomSource,
): AnswerResult {
  const rejected: Array<{ tag: number; problem: string }> = [];
  const fail = (failure: NegotiationFailure, detail: string): AnswerResult => ({
    ok: false,
    status: 488,
    failure,
    detail,
    rejected,
  });
  const audioIndex = offer.media.findIndex((m) => m.media === 'audio' && m.port !== 0);
  if (audioIndex < 0) return fail('no_audio', 'the offer has no audio stream');
  const audio = offer.media[audioIndex];
  const unreachable = connectionProblem(offer, audio);
  if (unreachable) return fail('no_connection_address', unreachable);
  const secure = audio.proto === 'RTP/SAVP';
  if (!secure && audio.proto !== 'RTP/AVP')
    return fail('no_common_suite', `transport ${audio.proto} is not RTP/AVP or RTP/SAVP`);
  if (!secure && policy.required) {
    return fail('srtp_required', 'the carrier requires SRTP (RTP/SAVP with a=crypto), the offer is plain RTP/AVP');
  }
  const codecs = local.payloadTypes.filter((pt) => audio.formats.includes(String(pt)));
  if (codecs.length === 0) return fail('no_common_codec', `no common codec: offered ${audio.formats.join(' ')}`);

  let agreement: SrtpAgreement | undefined;
  let answerCrypto: CryptoAttribute | undefined;
  if (secure) {
    const offered: CryptoAttribute[] = [];
    for (const value of attributes(audio.lines, 'crypto')) {
      const c = parseCryptoAttribute(value);
      if ('error' in c) {
        rejected.push({ tag: Number(/^\d+/.exec(value)?.[0] ?? 0), problem: c.error });
        continue;
      }
      const problem = cryptoProblem(c, policy);
      if (problem) rejected.push({ tag: c.tag, problem });
      else offered.push(c);
    }
    // The carrier's order of preference decides among the usable attributes.
    const chosen = policy.suites.map((s) => offered.find((c) => c.suite === s)).find((c) => c !== undefined);
    if (!chosen) {
      return fail(
        'no_common_suite',
        // What the carrier accepts is named, so the Warning of the 488 says what to offer instead.
        `${
          rejected.length
            ? `no acceptable a=crypto: ${rejected.map((r) => `tag ${r.tag}: ${r.problem}`).join('; ')}`
            : 'RTP/SAVP offered without any a=crypto line (RFC 4568 §7.1.1)'
        }; the carrier accepts ${policy.suites.join(', ')}${policy.acceptMki ? '' : ', without MKI'}`,
      );
    }
    const suite = chosen.suite as SrtpSuiteName;
    answerCrypto = { tag: chosen.tag, suite, keys: [{ keySalt: freshKey(random, suite) }], sessionParams: [] };
    agreement = {
      suite,
      tag: chosen.tag,
      offerer: keyMaterial(suite, chosen.keys[0]),
      answerer: keyMaterial(suite, answerCrypto.keys[0]),
    };
  }

  const direction = ANSWER_DIRECTION[offeredDirection(offer, audio)];
  // RFC 3264 §6: one m= line per offered one, in order; the others declined with port 0.
  const media = offer.media.map((m, i): MediaSection => {
    if (i !== audioIndex) return { media: m.media, port: 0, proto: m.proto, formats: m.formats, lines: [] };
    return {
      media: 'audio',
      port: local.port,
      proto: audio.proto,
      formats: codecs.map(String),
      lines: [
        ...codecs.filter((pt) => RTPMAP[pt]).map((pt) => ({ type: 'a', value: `rtpmap:${pt} ${RTPMAP[pt]}` })),
        ...(answerCrypto ? [{ type: 'a', value: `crypto:${formatCryptoAttribute(answerCrypto)}` }] : []),
        // Written only when the offer asked for a direction other than the default, so other answers are unchanged.
        ...(direction !== 'sendrecv' ? [{ type: 'a', value: direction }] : []),
      ],
    };
  });
  return { ok: true, sdp: { session: sessionLines(local), media }, agreement, direction, rejected };
}

/** The offerer reads the answer (RFC 4568 §7.1.3): one crypto line, with a tag and suite it offered. */
/**
 * Why the audio of a description cannot be sent anywhere, or undefined: RFC 8866 §5.7 wants a c= line in the
 * media description or at session level, and its address is where the other side's RTP goes. This side sends
 * only to an address written as its address type says (a host name there is refused, as many SBCs do).
 */
function connectionProblem(sd: SessionDescription, audio: MediaSection): string | undefined {
  const c = mediaConnection(sd, audio);
  if (!c) return 'the audio stream has no usable connection line (c=), of its own or at session level (RFC 8866 §5.7)';
  try {
    (c.addrType === 'IP4' ? ipv4Bytes : ipv6Bytes)(c.address);
    return undefined;
  } catch {
    return `the connection address "${c.address}" is not an ${c.addrType} address (RFC 8866 §5.7)`;
  }
}

export function acceptAnswer(
  offer: Offer,
  answer: SessionDescription,
): { ok: true; agreement?: SrtpAgreement } | { ok: false; failure: NegotiationFailure; detail: string } {
  const audio = answer.media.find((m) => m.media === 'audio' && m.port !== 0);
  if (!audio) return { ok: false, failure: 'no_audio', detail: 'the answer declined the audio stream' };
  const unreachable = connectionProblem(answer, audio);
  if (unreachable) return { ok: false, failure: 'no_connection_address', detail: unreachable };
  if (audio.proto !== 'RTP/SAVP') {
    return offer.crypto.length
      ? { ok: false, failure: 'answer_mismatch', detail: `the answer is ${audio.proto}, the offer was RTP/SAVP` }
      : { ok: true };
  }
  const lines = attributes(audio.lines, 'crypto');
  if (lines.length !== 1)
    return {
      ok: false,
      failure: 'answer_mismatch',
      detail: `the answer must carry one a=crypto, it has ${lines.length}`,
    };
  const c = parseCryptoAttribute(lines[0]);
  if ('error' in c) return { ok: false, failure: 'malformed_crypto', detail: c.error };
  const mine = offer.crypto.find((o) => o.tag === c.tag);
  if (!mine || mine.suite !== c.suite || !isSrtpSuiteName(c.suite)) {
    return { ok: false, failure: 'answer_mismatch', detail: `the answer's tag ${c.tag} ${c.suite} was not offered` };
  }
  return {
    ok: true,
    agreement: {
      suite: c.suite,
      tag: c.tag,
      offerer: keyMaterial(c.suite, mine.keys[0]),
      answerer: keyMaterial(c.suite, c.keys[0]),
    },
  };
}
