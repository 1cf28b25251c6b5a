/**
 * SDP Security Descriptions for SRTP (SDES, RFC 4568): the `a=crypto` line
 * that carries an SRTP master key and salt inside the (TLS-protected) SDP.
 *
 *   a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]   RFC 4568 §9.1
 *   key-params = "inline:" key||salt-base64 ["|" lifetime] ["|" MKI ":" length]   §9.2
 *   session-param = KDR=n / UNENCRYPTED_SRTP / UNENCRYPTED_SRTCP /
 *                   UNAUTHENTICATED_SRTP / FEC_ORDER= / FEC_KEY= / WSH=n / ["-"] extension   §6.3
 *
 * The key travels in clear inside the SDP, so SDES is only as safe as the
 * signalling: over TLS the attacker on the path cannot read it; over UDP
 * anyone can, and can decrypt the call.
 */
import { fromBase64, toBase64 } from '../wire/bytes';
import { SRTP_SUITES, isSrtpSuiteName, type SrtpSuiteName } from '../rtp/srtp-suite';
import { DIGIT, Scanner, binaryText } from './scanner';
import { isSipParseError } from './syntax-error';

export interface SdesKeyParam {
  /** Master key || master salt. */
  keySalt: Uint8Array;
  /** Lifetime as written (`2^20` or `1048576`), if any (RFC 4568 §6.1). */
  lifetime?: string;
  /** Master key identifier and its length in bytes (RFC 4568 §6.1, RFC 3711 §3.1). */
  mki?: { value: number; length: number };
}

export interface CryptoAttribute {
  tag: number;
  /** As written; `SRTP_SUITES` knows the ones the lab speaks. */
  suite: string;
  keys: SdesKeyParam[];
  sessionParams: string[];
}

/** The key material one side will send with: what SRTP needs from SDES. */
export interface SrtpKeyMaterial {
  suite: SrtpSuiteName;
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
  mki?: { value: number; length: number };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Scans the value after `a=crypto:` (the scanner sits just past the colon), recording its parts. */
export function scanCryptoValue(sc: Scanner): CryptoAttribute {
  const tagStart = sc.at;
  const tagText = sc.take(DIGIT, 'a crypto tag (1 to 9 digits)');
  if (tagText.length > 9) sc.fail('the crypto tag has at most 9 digits (RFC 4568 §9.1)', tagStart);
  sc.mark(
    {
      name: 'tag',
      value: tagText,
      note: 'Names this offer of keys; the answer echoes the tag it accepts.',
      spec: 'RFC 4568 §4.1',
    },
    tagStart,
  );
  if (!wsp(sc)) sc.fail('expected white space after the crypto tag');
  const suiteStart = sc.at;
  while (!sc.done && /[A-Za-z0-9_]/.test(sc.s[sc.at])) sc.at++;
  const suite = sc.s.slice(suiteStart, sc.at);
  if (!suite) sc.fail(`expected a crypto-suite, found ${sc.describeHere()}`);
  sc.mark(
    {
      name: 'crypto-suite',
      value: suite,
      note: isSrtpSuiteName(suite) ? `SRTP protection: ${SRTP_SUITES[suite].spec}.` : 'A suite the lab does not know.',
      spec: isSrtpSuiteName(suite) ? SRTP_SUITES[suite].spec : 'RFC 4568 §4.2',
    },
    suiteStart,
  );
  if (!wsp(sc)) sc.fail('expected white space after the crypto-suite');
  const keys: SdesKeyParam[] = [];
  do {
    const start = sc.at;
    if (!sc.s.startsWith('inline:', sc.at)) sc.fail('key-params must start with "inline:" (RFC 4568 §6.1)');
    sc.at += 'inline:'.length;
    const keyStart = sc.at;
    while (!sc.done && /[A-Za-z0-9+/=]/.test(sc.s[sc.at])) sc.at++;
    const b64 = sc.s.slice(keyStart, sc.at);
    const keySalt = BASE64.test(b64) ? fromBase64(b64) : undefined;
    if (!keySalt) sc.fail('the key||salt is not valid base64 (RFC 4568 §6.1, RFC 4648 §4)', keyStart);
    if (isSrtpSuiteName(suite)) {
      const s = SRTP_SUITES[suite];
      if (keySalt.length !== s.keyLength + s.saltLength) {
        sc.fail(
          `${suite} needs ${s.keyLength + s.saltLength} bytes of key||salt, this one has ${keySalt.length} (${s.spec})`,
          keyStart,
        );
      }
    }
    sc.mark(
      {
        name: 'key||salt',
        value: `${keySalt.length} bytes (base64)`,
        note: 'The SRTP master key and salt, readable by anyone who reads this SDP.',
        spec: 'RFC 4568 §6.1',
      },
      keyStart,
    );
    const param: SdesKeyParam = { keySalt };
    while (sc.eat('|')) {
      const partStart = sc.at;
      while (!sc.done && /[0-9^:]/.test(sc.s[sc.at])) sc.at++;
      const part = sc.s.slice(partStart, sc.at);
      const mki = /^(\d{1,10}):(\d{1,3})$/.exec(part);
      if (mki && param.mki === undefined) {
        const length = Number(mki[2]);
        if (length < 1 || length > 128)
          sc.fail(`MKI length ${length} is outside 1 to 128 bytes (RFC 4568 §6.1)`, partStart);
        param.mki = { value: Number(mki[1]), length };
        sc.mark(
          {
            name: 'MKI',
            value: `${mki[1]} (${length} bytes)`,
            note: 'Master key identifier carried in every SRTP packet.',
            spec: 'RFC 4568 §6.1',
          },
          partStart,
        );
      } else if (/^(?:2\^\d{1,2}|\d{1,15})$/.test(part) && param.lifetime === undefined && param.mki === undefined) {
        param.lifetime = part;
        sc.mark(
          {
            name: 'lifetime',
            value: `${lifetimePackets(part)} packets`,
            note: 'How many packets the key may protect.',
            spec: 'RFC 4568 §6.1',
          },
          partStart,
        );
      } else {
        sc.fail(
          `"|${part}" is neither a lifetime (2^31) nor an MKI (1:4) in the right place (RFC 4568 §9.2)`,
          partStart,
        );
      }
    }
    keys.push(param);
    sc.mark({ name: 'key-params', value: 'inline', spec: 'RFC 4568 §6.1' }, start);
  } while (sc.eat(';'));
  // RFC 4568 §6.1: with several keys, every one carries an MKI of the same length.
  if (keys.length > 1 && !keys.every((k) => k.mki && k.mki.length === keys[0].mki!.length)) {
    sc.fail('several keys need MKIs of equal length (RFC 4568 §6.1)');
  }
  const sessionParams: string[] = [];
  while (wsp(sc)) {
    if (sc.done) break;
    const start = sc.at;
    while (!sc.done && sc.s[sc.at] !== ' ' && sc.s[sc.at] !== '\t') sc.at++;
    const p = sc.s.slice(start, sc.at);
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 0x21 || c > 0x7e) sc.fail('session parameters are visible characters (RFC 4568 §9.2)', start + i);
    }
    sessionParams.push(p);
    sc.mark({ name: 'session-param', value: p, spec: 'RFC 4568 §6.3' }, start);
  }
  if (!sc.done) sc.fail(`unexpected ${sc.describeHere()} in a=crypto`);
  return { tag: Number(tagText), suite, keys, sessionParams };
}

function wsp(sc: Scanner): boolean {
  const start = sc.at;
  while (!sc.done && (sc.s[sc.at] === ' ' || sc.s[sc.at] === '\t')) sc.at++;
  return sc.at > start;
}

/** The lifetime in packets (`2^20` → 1048576). */
export function lifetimePackets(text: string): number {
  return text.startsWith('2^') ? 2 ** Number(text.slice(2)) : Number(text);
}

/** Parses the value of an `a=crypto` attribute (without `crypto:`); a reason if it is malformed. */
export function parseCryptoAttribute(value: string): CryptoAttribute | { error: string } {
  const text = binaryText(value);
  const sc = new Scanner(text, 0, text.length, { lineAt: () => 1, where: 'a=crypto' });
  try {
    return scanCryptoValue(sc);
  } catch (e) {
    if (isSipParseError(e)) return { error: e.reason };
    throw e;
  }
}

export function formatCryptoAttribute(c: CryptoAttribute): string {
  const keys = c.keys
    .map((k) => {
      let s = `inline:${toBase64(k.keySalt)}`;
      if (k.lifetime !== undefined) s += `|${k.lifetime}`;
      if (k.mki) s += `|${k.mki.value}:${k.mki.length}`;
      return s;
    })
    .join(';');
  return [`${c.tag} ${c.suite} ${keys}`, ...c.sessionParams].join(' ');
}

/** Master key and salt out of a key parameter (RFC 3711 §8.2: key first, then salt). */
export function keyMaterial(suite: SrtpSuiteName, key: SdesKeyParam): SrtpKeyMaterial {
  const s = SRTP_SUITES[suite];
  return {
    suite,
    masterKey: key.keySalt.slice(0, s.keyLength),
    masterSalt: key.keySalt.slice(s.keyLength, s.keyLength + s.saltLength),
    ...(key.mki ? { mki: key.mki } : {}),
  };
}

/**
 * The largest SRTP lifetime a suite allows: 2^48 packets for the AES-CM
 * suites (RFC 4568 §6.2.1, RFC 6188 §5.1) and 2^48 for AEAD (RFC 7714 §12 keeps RFC 3711's limit).
 */
export const MAX_SRTP_LIFETIME = 2 ** 48;
