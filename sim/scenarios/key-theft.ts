/**
 * Record now, decrypt later: after the call, the attacker who recorded it
 * steals the SBC's private key (from a backup, a decommissioned box, a
 * breach) and tries it on the recording, with the engine's own
 * `decryptRecordedSession` (tls/recorded-session.ts):
 *
 * 1. it reassembles both directions of the TLS connection from the TCP
 *    segments it recorded (its tap's view, RFC 9293 §3.4 sequence numbers);
 * 2. with a static-RSA key exchange it decrypts the premaster secret, derives
 *    the keys and opens every record: the SIP, and in the SDP the SDES keys,
 *    with which it decrypts the recorded SRTP (RFC 4568 §6.1, RFC 3711 §3.3);
 * 3. with ECDHE the key only signed, and nothing opens (forward secrecy).
 *
 * What it recovers becomes its view of each recorded step.
 */
import type { DecodedLayer, StateEvent } from '../timeline';
import { readPacket } from '../net/packet';
import { StreamReassembly } from '../net/stream-reassembly';
import { formatEndpoint } from '../net/address';
import { concatBytes, equalBytes, fromHex, toHex } from '../wire/bytes';
import { isParseError } from '../wire/parse-error';
import { decryptRecordedSession } from '../tls/recorded-session';
import { parseSipMessage } from '../sip/parse';
import { sipSummary } from '../sip/message';
import { isSipParseError } from '../sip/syntax-error';
import { attributes, mediaConnection, parseSdp } from '../sip/sdp';
import { parseCryptoAttribute } from '../sip/sdes';
import { isSrtpSuiteName } from '../rtp/srtp-suite';
import { SrtpContext } from '../rtp/srtp-context';
import { parseRtpPacket } from '../rtp/rtp-packet';
import type { TrunkRun } from './trunk-run';
import type { RecordEntry } from './tls-streams';

const TITLE = 'Decrypted after the call with the stolen key';

export async function stealKeyAndDecrypt(run: TrunkRun): Promise<void> {
  const { net, carrier, ledger } = run;
  const credentials = await run.credentials;
  const last = run.lastRecord();
  if (last === undefined) return;
  const say = (...events: StateEvent[]) => ledger.note(last).events.push(...events);

  // 1. The recording: both directions of the PBX's TLS connection, as the tap saw them.
  const toSbc = new StreamReassembly();
  const toPbx = new StreamReassembly();
  const c2s: Uint8Array[] = [];
  const s2c: Uint8Array[] = [];
  let connection: { client: string; server: string } | undefined;
  for (const r of net.attacker.seen) {
    let p;
    try {
      p = readPacket(r.bytes);
    } catch (e) {
      if (isParseError(e)) continue;
      throw e;
    }
    if (p.transport.kind !== 'tcp') continue;
    const upstream = p.dst.ip === carrier.sbc.ip && p.dst.port === carrier.sbc.tlsPort;
    const downstream = p.src.ip === carrier.sbc.ip && p.src.port === carrier.sbc.tlsPort;
    if (!upstream && !downstream) continue;
    connection ??= upstream
      ? { client: formatEndpoint(p.src), server: formatEndpoint(p.dst) }
      : { client: formatEndpoint(p.dst), server: formatEndpoint(p.src) };
    const chunks = (upstream ? toSbc : toPbx).push(p.transport.seq, p.transport.flags, p.payload);
    (upstream ? c2s : s2c).push(...chunks);
  }
  if (!connection) return;

  say({
    kind: 'note',
    party: 'attacker',
    text: `After the call the attacker obtains the SBC's private key (${credentials.sbc.privateKey.kind === 'rsa' ? 'RSA' : 'ECDSA'}) and tries it on the ${c2s.reduce((n, b) => n + b.length, 0) + s2c.reduce((n, b) => n + b.length, 0)} bytes of TLS it recorded.`,
  });
  const result = await decryptRecordedSession(
    { clientToServer: concatBytes(...c2s), serverToClient: concatBytes(...s2c) },
    credentials.sbc.privateKey,
  );
  if (!result.ok) {
    say({
      kind: 'note',
      party: 'attacker',
      text: `The stolen key opens nothing (${result.reason}): ${result.detail}.`,
    });
    return;
  }
  say(
    ...result.keys.map((k) => ({
      kind: 'key' as const,
      party: 'attacker' as const,
      name: k.name,
      value: toHex(k.value),
      from: k.from,
      how: k.how,
      spec: k.spec,
    })),
  );

  // 2. Each protected record, in order per direction, is the one the endpoint wrote there.
  const clientConn = `${connection.client} → ${connection.server}`;
  const serverConn = `${connection.server} → ${connection.client}`;
  const protectedEntries = (c: string) => run.streams.entries(c).filter((e) => e.encrypted);
  const byDirection = { client: protectedEntries(clientConn), server: protectedEntries(serverConn) };
  const at = { client: 0, server: 0 };
  const sdps: Array<{ summary: string; body: Uint8Array }> = [];
  for (const record of result.records) {
    const entry = byDirection[record.from][at[record.from]++];
    if (!entry) continue;
    const layer = recoveredLayer(entry, record.plaintext);
    const where = entry.wire[entry.wire.length - 1];
    if (where !== undefined) ledger.addLayer(where, 'attacker', layer);
    if (record.contentType === 23) {
      try {
        const m = parseSipMessage(record.plaintext).message;
        if (m.body.length) sdps.push({ summary: sipSummary(m), body: m.body });
      } catch (e) {
        if (!isSipParseError(e)) throw e;
      }
    }
  }
  const sip = result.applicationData.client.length + result.applicationData.server.length;
  say({
    kind: 'note',
    party: 'attacker',
    text: `The key decrypts the whole session: ${result.records.length} records, ${sip} of them SIP, credentials and SDP included.`,
  });

  // 3. The SDES keys in the decrypted SDP open the recorded SRTP from the address each protects.
  const contexts = new Map<string, SrtpContext>();
  for (const { summary, body } of sdps) {
    try {
      const sdp = parseSdp(body).sdp;
      for (const media of sdp.media) {
        const c = mediaConnection(sdp, media);
        const crypto = attributes(media.lines, 'crypto')
          .map(parseCryptoAttribute)
          .find((x) => !('error' in x));
        if (!c || !crypto || 'error' in crypto || !isSrtpSuiteName(crypto.suite) || !crypto.keys[0]) continue;
        contexts.set(
          formatEndpoint({ ip: c.address, port: media.port }),
          SrtpContext.fromKeySalt(crypto.suite, crypto.keys[0].keySalt),
        );
        say({
          kind: 'note',
          party: 'attacker',
          text: `In the decrypted ${summary}: the ${crypto.suite} key for the audio from ${c.address}:${media.port}.`,
        });
      }
    } catch (e) {
      if (!isSipParseError(e)) throw e;
    }
  }
  let opened = 0;
  for (const r of net.attacker.seen) {
    if (r.transport !== 'udp') continue;
    const ctx = contexts.get(formatEndpoint(r.src));
    if (!ctx) continue;
    const payload = r.bytes.subarray(r.payloadOffset);
    if (payload.length >= 2 && payload[1] >= 192 && payload[1] <= 223) continue;
    const out = ctx.unprotect(payload);
    if (!out.ok) continue;
    opened++;
    let fields: DecodedLayer['fields'];
    try {
      fields = parseRtpPacket(out.packet).fields;
    } catch (e) {
      if (!isParseError(e)) throw e;
      fields = [{ name: 'RTP', start: 0, end: out.packet.length, value: `${out.packet.length} bytes` }];
    }
    ledger.addLayer(r.index, 'attacker', { title: `RTP ${TITLE.toLowerCase()}`, bytes: toHex(out.packet), fields });
  }
  if (opened > 0) {
    say({
      kind: 'note',
      party: 'attacker',
      text: `With those keys it decrypts ${opened} recorded SRTP packets: the call’s audio.`,
    });
  }
}

/** What the attacker recovered of a record: the sender's own view of it when the plaintext matches, checked byte for byte. */
function recoveredLayer(entry: RecordEntry, plaintext: Uint8Array): DecodedLayer {
  if (entry.layer) {
    const inner = fromHex(entry.layer.bytes);
    if (equalBytes(inner.subarray(0, plaintext.length), plaintext)) return { ...entry.layer, title: TITLE };
  }
  let fields: DecodedLayer['fields'];
  try {
    fields = parseSipMessage(plaintext).fields;
  } catch (e) {
    if (!isSipParseError(e)) throw e;
    fields = plaintext.length
      ? [{ name: 'plaintext', start: 0, end: plaintext.length, value: `${plaintext.length} bytes` }]
      : [];
  }
  return { title: TITLE, bytes: toHex(plaintext), fields };
}
