/**
 * SIP parsing speed: the lab's parser (which also builds the annotated field
 * tree for every byte) beside JsSIP 3.13's parser on the same messages, in
 * the same run; the stream framer's throughput; and how long hostile input
 * takes to be refused.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import carrierJson from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { HmacDrbg } from '../../sim/crypto/random';
import { PbxAgent } from '../../sim/sip/pbx-agent';
import { serializeSipMessage } from '../../sim/sip/message';
import { parseSipMessage } from '../../sim/sip/parse';
import { SipStreamFramer } from '../../sim/sip/stream';
import { measureRate, medianMs, printTable } from './measure';

const require = createRequire(import.meta.url);
const jssip = require('jssip/lib/Parser.js') as { parseMessage(data: string, ua: object): unknown };
const carrier = carrierJson as CarrierProfile;

export default async function bench(): Promise<void> {
  const pbx = new PbxAgent(
    {
      carrier,
      transport: 'TLS',
      localIp: carrier.customer.pbxIp,
      localPort: 5061,
      contactScheme: 'sips',
      sbcPort: 5061,
      media: { port: 40000, secure: true, suites: ['AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80'] },
    },
    HmacDrbg.fromSeed(1),
  );
  const vector = (name: string) =>
    new Uint8Array(readFileSync(new URL(`../sip/vectors/rfc4475/${name}.dat`, import.meta.url)));
  const contacts = Array.from({ length: 2000 }, (_, i) => `<sips:pbx${i}.example:5061>`).join(',');
  const messages: Array<[string, Uint8Array]> = [
    ['lab INVITE with SDES SDP', serializeSipMessage(pbx.invite('+15555550199'))],
    ['RFC 4475 wsinv', vector('wsinv')],
    ['RFC 4475 longreq', vector('longreq')],
    [
      '2000-entry Contact',
      new TextEncoder().encode(
        `REGISTER sips:quillfeather.example SIP/2.0\r\nVia: SIP/2.0/TLS 203.0.113.10;branch=z9hG4bK1\r\nFrom: <sips:a@quillfeather.example>;tag=1\r\nTo: <sips:a@quillfeather.example>\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\nContact: ${contacts}\r\nContent-Length: 0\r\n\r\n`,
      ),
    ],
  ];
  const rows = [];
  for (const [name, bytes] of messages) {
    const annotated = await measureRate(() => parseSipMessage(bytes), { budgetMs: 1000 });
    const bare = await measureRate(() => parseSipMessage(bytes, { annotate: false }), { budgetMs: 1000 });
    const theirs = await measureRate(() => jssip.parseMessage(new TextDecoder().decode(bytes), {}), { budgetMs: 1000 });
    rows.push({
      message: name,
      bytes: bytes.length,
      'lab, annotated msg/s': annotated.perSecond,
      'lab, values only msg/s': bare.perSecond,
      'JsSIP msg/s': theirs.perSecond,
      'values only/JsSIP': bare.perSecond / theirs.perSecond,
    });
  }
  printTable(rows);

  // The stream framer (values only): 200 INVITEs back to back, arriving in 1400-byte reads.
  const invite = messages[0][1];
  const wire = new Uint8Array(invite.length * 200);
  for (let i = 0; i < 200; i++) wire.set(invite, i * invite.length);
  const framed = await measureRate(
    () => {
      const framer = new SipStreamFramer(undefined, false);
      for (let at = 0; at < wire.length; at += 1400) framer.push(wire.subarray(at, at + 1400));
    },
    { batch: 200, budgetMs: 1000 },
  );
  console.log(
    `\nstream framer: ${Math.round(framed.perSecond).toLocaleString('en-US')} messages/s (${((framed.perSecond * invite.length) / 1e6).toFixed(1)} MB/s) in 1400-byte reads`,
  );

  const hostile: Array<[string, Uint8Array]> = [
    ['1 MiB header line', new TextEncoder().encode(`OPTIONS sip:a SIP/2.0\r\nX: ${'a'.repeat(1 << 20)}\r\n\r\n`)],
    ['1 MiB of binary garbage', Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 131 + 7) & 0xff)],
    ['10 000 header lines', new TextEncoder().encode(`OPTIONS sip:a SIP/2.0\r\n${'X: y\r\n'.repeat(10_000)}\r\n`)],
  ];
  const refusals = [];
  for (const [name, bytes] of hostile) {
    const ms = await medianMs(() => {
      try {
        parseSipMessage(bytes);
      } catch {
        // refused, as it must be
      }
    }, 15);
    refusals.push({ input: name, 'median ms to refuse': ms });
  }
  console.log('');
  printTable(refusals);
}
