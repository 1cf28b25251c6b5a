/**
 * The attacker's plan for a run, set up on the on-path attacker of the trunk
 * network (net/attacker.ts) before the first packet:
 *
 * - tamper: flip one bit in a packet that carries the PBX's SIP — a TLS
 *   record (RFC 8446 §5.2: the receiver's AEAD tag check fails) or a datagram
 *   in clear (the receiver reads the altered message) — or in the payload of
 *   its SRTP packets (RFC 3711 §3.3: the receiver's authentication fails);
 * - replay: send recorded SRTP packets from the PBX again a little later
 *   (RFC 3711 §3.3.2: the receiver's replay list catches them);
 * - drop: take SRTP packets off the wire (SRTP cannot notice a missing
 *   packet; the receiver's RTCP reports count it as loss);
 * - downgrade: rewrite the INVITE's SDP from RTP/SAVP to RTP/AVP and strip
 *   its a=crypto lines, which only works where the attacker can read and
 *   rewrite the SIP: over plain UDP. Inside TLS it cannot find the offer.
 *
 * Which packets it picks is the attacker's choice, made from what it can
 * see on the wire: ports and timing for media, the size and order of TLS
 * records for SIP.
 */
import type { InFlightPacket } from '../net/network';
import type { WirePacket } from '../net/wire-record';
import { utf8 } from '../wire/bytes';
import { parseSipMessage } from '../sip/parse';
import { withContentLength } from '../sip/message';
import { writeSipMessage } from '../sip/write';
import { parseSdp, serializeSdp } from '../sip/sdp';
import { isSipParseError } from '../sip/syntax-error';
import type { TrunkRun } from './trunk-run';
import { installInterceptor } from './interceptor';

/** Media packets from the PBX the attacker lets pass before it starts (the call is well under way). */
const MEDIA_PACKETS_FIRST = 40;
/** It picks one media packet in this many, so the damage is spread over the call. */
const MEDIA_PACKETS_APART = 7;

/** A PBX → SBC RTP or SRTP packet (not RTCP, whose packet types are 200–204: RFC 5761 §4). */
function pbxMedia(run: TrunkRun, p: { record: WirePacket; parsed: InFlightPacket['parsed'] }): boolean {
  const { parsed } = p;
  if (parsed.transport.kind !== 'udp') return false;
  if (parsed.src.ip !== run.net.pbx.ip || parsed.dst.port !== run.carrier.sbc.rtpPort) return false;
  return parsed.payload.length >= 12 && !(parsed.payload[1] >= 192 && parsed.payload[1] <= 223);
}

/** A packet from the PBX that carries its SIP: a TLS record of SIP to the SBC, or a SIP datagram in clear. */
function pbxSip(run: TrunkRun, p: InFlightPacket): boolean {
  const { parsed, record } = p;
  const sbc = run.carrier.sbc;
  if (record.origin !== 'sent' || parsed.src.ip !== run.net.pbx.ip || parsed.dst.ip !== sbc.ip) return false;
  if (parsed.transport.kind === 'tcp') return run.streams.firstCarried(record)?.protocol === 'SIP';
  return parsed.dst.port === sbc.plainPort && parsed.payload.length > 0;
}

/** Whether the PBX's SIP goes over TLS in this run. */
function sipOverTls(run: TrunkRun): boolean {
  return run.setup.pbx.transport === 'tls';
}

/** Picks every MEDIA_PACKETS_APART-th media packet after the first MEDIA_PACKETS_FIRST. */
function spacedMedia(run: TrunkRun): (p: InFlightPacket) => boolean {
  let seen = 0;
  return (p) => {
    if (!pbxMedia(run, p) || p.record.origin !== 'sent') return false;
    const n = seen++;
    return n >= MEDIA_PACKETS_FIRST && (n - MEDIA_PACKETS_FIRST) % MEDIA_PACKETS_APART === 0;
  };
}

export function installAttack(run: TrunkRun): void {
  const a = run.setup.attacker;
  const attacker = run.net.attacker;
  switch (a.kind) {
    case 'none':
    case 'observe':
    case 'steal-key':
      return;
    case 'intercept':
      installInterceptor(run);
      return;
    case 'tamper': {
      const chosen = (fallback: (p: InFlightPacket) => number) => (p: InFlightPacket) => [
        a.bit === undefined ? fallback(p) : a.bit % (p.parsed.payload.length * 8),
      ];
      if (a.target === 'srtp') {
        const spaced = spacedMedia(run);
        let seen = 0;
        const match = a.after === undefined ? spaced : (p: InFlightPacket) => pbxMedia(run, p) && seen++ >= a.after!;
        // By default one bit in the middle of the encrypted payload (after the 12-byte RTP header).
        attacker.tamper(
          match,
          chosen(() => (12 + 40) * 8 + 3),
          'flipped one bit of the encrypted audio',
          {
            times: a.packets,
          },
        );
      } else {
        let seen = 0;
        attacker.tamper(
          (p) => pbxSip(run, p) && seen++ >= (a.after ?? 0),
          // By default a bit of the ciphertext (past a TLS record's 5-byte header), or of a request line in clear.
          chosen((p) => Math.min(p.parsed.payload.length - 1, 5 + 32) * 8 + 6),
          sipOverTls(run) ? 'flipped one bit of a TLS record' : 'flipped one bit of a SIP message',
          { times: a.packets },
        );
      }
      return;
    }
    case 'drop':
      attacker.drop(spacedMedia(run), 'dropped an SRTP packet', { times: a.packets });
      return;
    case 'replay': {
      const recorded: WirePacket[] = [];
      const stop = run.net.network.watch((r) => {
        if (r.origin !== 'sent' || r.transport !== 'udp') return;
        if (r.src.ip !== run.net.pbx.ip || r.dst.port !== run.carrier.sbc.rtpPort) return;
        const payload = r.bytes.subarray(r.payloadOffset);
        if (payload[1] >= 192 && payload[1] <= 223) return;
        recorded.push(r);
        if (recorded.length === MEDIA_PACKETS_FIRST + a.packets) {
          stop();
          // Packets heard a moment ago, sent again 50 ms later: inside the replay window, already seen.
          const again = recorded.slice(MEDIA_PACKETS_FIRST - a.packets, MEDIA_PACKETS_FIRST);
          run.net.network.after(50, 'attacker replays', () => {
            for (const old of again) attacker.replay(old, 'sent a recorded SRTP packet again');
          });
        }
      });
      return;
    }
    case 'downgrade':
      attacker.rewrite(
        (p) =>
          p.parsed.transport.kind === 'udp' &&
          p.parsed.dst.port === run.carrier.sbc.plainPort &&
          startsWith(p.parsed.payload, 'INVITE '),
        (p) => {
          const payload = stripSrtp(p.parsed.payload);
          return payload ? { payload } : undefined;
        },
        'rewrote the offer from RTP/SAVP to RTP/AVP and removed its a=crypto lines',
      );
      return;
  }
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  const t = utf8(text);
  return bytes.length >= t.length && t.every((b, i) => bytes[i] === b);
}

/** The INVITE with its audio offered as plain RTP and without keys, or undefined if it cannot be read. */
function stripSrtp(bytes: Uint8Array) {
  try {
    const m = parseSipMessage(bytes).message;
    const sdp = parseSdp(m.body).sdp;
    const media = sdp.media.map((s) => ({
      ...s,
      proto: s.proto === 'RTP/SAVP' ? 'RTP/AVP' : s.proto,
      lines: s.lines.filter((l) => !(l.type === 'a' && l.value.startsWith('crypto:'))),
    }));
    return writeSipMessage(withContentLength({ ...m, body: serializeSdp({ ...sdp, media }) }));
  } catch (e) {
    if (isSipParseError(e)) return undefined;
    throw e;
  }
}
