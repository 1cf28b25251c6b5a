/**
 * The numbers an article quotes come from the engine's constants or the
 * carrier profile (`<Engine value=…/>`, `<Carrier value=…/>`, or an
 * expression over their values), so the words cannot drift from what the lab
 * does. This check reads every article as written, takes out its imports,
 * those components and the expressions, and finds each quantity still typed
 * by hand: a number with a unit of time or size (ms, seconds, minutes, bytes,
 * bits…), "port N", "minute N", and any of the carrier's or the lab PBX's
 * port numbers wherever it stands.
 *
 * Some quantities are not the lab's to choose: a field width a protocol
 * fixes, another product's default, the words of a customer's ticket. Those
 * are listed below with the reason, each tied to its article and its
 * sentence; any other hand-typed quantity fails with its article and line,
 * and an entry that no longer matches anything fails too, so the list cannot
 * rot.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENGINE_FACTS } from '../../sim/index';
import carrier from '../../content/carrier.json';

const DOCS_DIR = new URL('../../content/docs/', import.meta.url).pathname;

/** A hand-typed quantity an article may keep, and why it is not the engine's or the carrier's. */
interface KeptQuantity {
  article: string;
  /** The quantity as the regular expression finds it. */
  quantity: string;
  /** Words of the sentence around it, so the entry cannot excuse the same quantity elsewhere. */
  near: string;
  why: string;
}

const KEPT: KeptQuantity[] = [
  {
    article: 'docs/establishing-trust.mdx',
    quantity: '3072 bits',
    near: 'make an RSA key instead',
    why: 'key-size advice for the reader’s own key (NIST SP 800-57 Part 1 §5.6.1)',
  },
  {
    article: 'docs/public-key-cryptography.mdx',
    quantity: '2048 bits',
    near: 'RSA (',
    why: 'the usual minimum RSA size, not a lab setting',
  },
  {
    article: 'docs/public-key-cryptography.mdx',
    quantity: '48-byte',
    near: 'premaster secret',
    why: 'RFC 5246 §7.4.7.1 fixes the RSA premaster secret',
  },
  {
    article: 'docs/public-key-cryptography.mdx',
    quantity: '2 bytes',
    near: 'offered, in',
    why: 'RFC 5246 §7.4.7.1: client_version',
  },
  {
    article: 'docs/firewalls-and-nat.mdx',
    quantity: '2 hours',
    near: 'keep an established TCP connection',
    why: 'RFC 5382 REQ-5: 2 hours 4 minutes',
  },
  {
    article: 'docs/firewalls-and-nat.mdx',
    quantity: '4 minutes',
    near: 'keep an established TCP connection',
    why: 'RFC 5382 REQ-5: 2 hours 4 minutes',
  },
  {
    article: 'docs/firewalls-and-nat.mdx',
    quantity: '2 hours',
    near: 'Linux waits',
    why: 'Linux’s default tcp_keepalive_time',
  },
  {
    article: 'docs/firewalls-and-nat.mdx',
    quantity: '7200 seconds',
    near: 'tcp_keepalive_time',
    why: 'Linux’s default tcp_keepalive_time',
  },
  {
    article: 'docs/firewalls-and-nat.mdx',
    quantity: '2 minutes',
    near: 'RFC 4787',
    why: 'RFC 4787 REQ-5: UDP mapping timer',
  },
  {
    article: 'docs/glossary.mdx',
    quantity: '16-bit',
    near: 'sequence number',
    why: 'RFC 3550 §5.1 fixes the sequence number field',
  },
  {
    article: 'docs/srtp-and-sdes.mdx',
    quantity: '16-bit',
    near: 'sequence number',
    why: 'RFC 3550 §5.1 fixes the sequence number field',
  },
  {
    article: 'docs/srtp-and-sdes.mdx',
    quantity: '4 bytes',
    near: 'master key identifier',
    why: 'the example line’s own `|1:4` (RFC 4568 §9.1)',
  },
  {
    article: 'docs/srtp-and-sdes.mdx',
    quantity: '31-bit',
    near: 'SRTCP index',
    why: 'RFC 3711 §3.4 fixes the SRTCP index',
  },
  {
    article: 'docs/srtp-mid-call.mdx',
    quantity: '48-bit',
    near: 'index',
    why: 'RFC 3711 §3.3.1: ROC and sequence number',
  },
  {
    article: 'docs/srtp-mid-call.mdx',
    quantity: '16-bit',
    near: 'index',
    why: 'RFC 3550 §5.1 fixes the sequence number field',
  },
  {
    article: 'docs/srtp-mid-call.mdx',
    quantity: 'twenty minutes',
    near: 'the audio stops after',
    why: 'a customer’s words: the first wrap comes at any length up to the wrap period, which the article quotes from the engine',
  },
  {
    article: 'docs/tls-handshake.mdx',
    quantity: '12 bytes',
    near: 'whole transcript',
    why: 'RFC 5246 §7.4.9: verify_data_length',
  },
  {
    article: 'docs/tls-handshake.mdx',
    quantity: '8 bytes',
    near: 'last',
    why: 'RFC 8446 §4.1.3: the downgrade sentinel',
  },
  {
    article: 'docs/rehearse-your-go-live.mdx',
    quantity: '5060',
    near: 'a port other than',
    why: 'Wireshark’s own SIP ports, whatever the carrier uses',
  },
  {
    article: 'docs/rehearse-your-go-live.mdx',
    quantity: '5061',
    near: 'a port other than',
    why: 'Wireshark’s own SIP ports, whatever the carrier uses',
  },
];

const TIME = String.raw`ms|milliseconds?|seconds?|sec|s|min|minutes?|hours?|days?`;
const SIZE = String.raw`bytes?|bits?|octets?|packets?|samples?|characters?`;
const WORD_NUMBER = String.raw`one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|a hundred`;

/** Port numbers the carrier profile and the lab's PBX define: typed anywhere, they are hand-typed. */
function profilePorts(): number[] {
  const { sbc } = carrier;
  const pbx = ENGINE_FACTS.pbx;
  return [sbc.tlsPort, sbc.plainPort, sbc.rtpPort, sbc.rtpPortLast, pbx.tlsPort, pbx.udpPort, pbx.mediaPort];
}

const QUANTITY = new RegExp(
  [
    // A number in digits with a unit of time or size: `32 seconds`, `12-byte`, `20 ms`.
    String.raw`\b\d[\d,.]*(?:[ \t]*\n?[ \t]*|-)(?:${TIME}|${SIZE})\b`,
    // A number in words with a unit of time: `two minutes`, `ten seconds`.
    String.raw`\b(?:${WORD_NUMBER})(?:\s+|-)(?:${TIME})\b`,
    String.raw`\bminute\s+\d+`,
    String.raw`\bports?\s+\d+`,
    String.raw`(?<![\w.])(?:${[...new Set(profilePorts())].join('|')})(?![\w.])`,
  ].join('|'),
  'gi',
);

/**
 * The article's text with what the engine and the profile fill in taken out,
 * and each removal kept to the same lines, so line numbers hold.
 */
function handWrittenText(source: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return (
    source
      // import and export lines: code, not prose.
      .replace(/^(?:import|export) [^\n]*$/gm, blank)
      // Components that print an engine or profile value.
      .replace(/<(?:Engine|Carrier)\b[^>]*\/>/g, blank)
      // Interpolations inside template literals, and `{expression}` over values.
      .replace(/\$\{[^{}]*\}/g, blank)
      .replace(/\{[\w.$[\]'"()?:\s-]*\}/g, blank)
  );
}

interface Found {
  article: string;
  line: number;
  quantity: string;
  context: string;
}

function handTypedQuantities(article: string, source: string): Found[] {
  const text = handWrittenText(source);
  return [...text.matchAll(QUANTITY)].map((m) => ({
    article,
    line: text.slice(0, m.index).split('\n').length,
    quantity: m[0],
    context: text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 20),
  }));
}

function isKept(f: Found, k: KeptQuantity): boolean {
  return (
    k.article === f.article &&
    k.quantity.toLowerCase() === f.quantity.toLowerCase().replace(/\s+/g, ' ') &&
    f.context.replace(/\s+/g, ' ').includes(k.near)
  );
}

function articles(dir = DOCS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return articles(path);
    return /\.mdx?$/.test(e.name) ? [path] : [];
  });
}

describe('numbers in the articles', () => {
  const found = articles().flatMap((path) => handTypedQuantities(relative(DOCS_DIR, path), readFileSync(path, 'utf8')));

  it('come from the engine or the carrier profile, or are facts the lab does not choose', () => {
    const unexplained = found
      .filter((f) => !KEPT.some((k) => isKept(f, k)))
      .map((f) => `${f.article}:${f.line}: "${f.quantity}" typed by hand in "…${f.context.replace(/\s+/g, ' ')}…"`);
    expect(unexplained).toEqual([]);
  });

  it('keeps no excuse for a number that is gone', () => {
    const stale = KEPT.filter((k) => !found.some((f) => isKept(f, k))).map(
      (k) => `${k.article}: "${k.quantity}" near "${k.near}"`,
    );
    expect(stale).toEqual([]);
  });
});

describe('the check itself', () => {
  it('finds quantities, ports and clock times typed by hand, across a line break too', () => {
    const source = [
      'The PBX gives up after 10',
      'seconds; the router forgets it after two minutes; a call at minute 3.',
      `Open port ${carrier.sbc.tlsPort} and ${carrier.sbc.rtpPort}, send a 12-byte header every 20 ms.`,
    ].join('\n');
    expect(handTypedQuantities('a.mdx', source).map((f) => [f.line, f.quantity.replace(/\s+/g, ' ')])).toEqual([
      [1, '10 seconds'],
      [2, 'two minutes'],
      [2, 'minute 3'],
      [3, `port ${carrier.sbc.tlsPort}`],
      [3, String(carrier.sbc.rtpPort)],
      [3, '12-byte'],
      [3, '20 ms'],
    ]);
  });

  it('leaves what the engine and the profile print, and expressions over them', () => {
    const source = [
      "import { engine } from './engine-facts';",
      'Waits <Engine value="tls.handshakeTimeoutSeconds" /> seconds on port <Carrier value="sbc.tlsPort" code />.',
      '<LiveStep caption={`Minute ${nat.firstCallMinute}: dropped`} />',
      'Every {ASTERISK_QUALIFY_SECONDS} seconds; AES_CM_128_HMAC_SHA1_80 and 2<sup>20</sup> packets.',
    ].join('\n');
    expect(handTypedQuantities('a.mdx', source)).toEqual([]);
  });
});
