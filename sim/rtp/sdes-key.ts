/**
 * The key parameter of an SDES `a=crypto` attribute (RFC 4568 §6.1):
 *
 *   a=crypto:<tag> <crypto-suite> inline:<key||salt base64>[|<lifetime>][|<MKI>:<length>]
 *
 * for example `a=crypto:1 AES_CM_128_HMAC_SHA1_80
 * inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4`. A support engineer
 * may paste the `inline:` value alone or the whole attribute line; both parse.
 * Failures are values that say what was wrong, for the CLI to print.
 */
import { fromBase64 } from '../wire/bytes';
import { isSrtpSuiteName, SRTP_SUITE_NAMES, SRTP_SUITES, suitesForKeyLength, type SrtpSuiteName } from './srtp-suite';

export interface SdesKey {
  /** The suite named on the a=crypto line, when a whole line was given. */
  suite?: SrtpSuiteName;
  /** Master key || master salt. */
  keySalt: Uint8Array;
  /** Key lifetime in packets (RFC 4568 §6.1, `2^20` or a number), if given. */
  lifetime?: number;
  mki?: { value: number; length: number; bytes: Uint8Array };
}

export type SdesKeyResult = { ok: true; key: SdesKey } | { ok: false; error: string };

export function parseSdesKey(text: string): SdesKeyResult {
  const trimmed = text.trim().replace(/^a=crypto:/, '');
  let suite: SrtpSuiteName | undefined;
  let keyParams = trimmed;
  const line = /^(\d{1,9})\s+(\S+)\s+(\S+)(?:\s+.*)?$/.exec(trimmed);
  if (line) {
    if (!isSrtpSuiteName(line[2])) {
      return { ok: false, error: `unknown crypto suite "${line[2]}"; known: ${SRTP_SUITE_NAMES.join(', ')}` };
    }
    suite = line[2];
    keyParams = line[3];
  }
  if (!keyParams.startsWith('inline:')) {
    return { ok: false, error: 'the key must start with "inline:" (RFC 4568 §6.1), e.g. inline:BASE64KEYANDSALT' };
  }
  const [b64, ...rest] = keyParams.slice('inline:'.length).split('|');
  if (b64.length === 0) return { ok: false, error: 'nothing follows "inline:"' };
  const keySalt = fromBase64(b64);
  if (!keySalt) return { ok: false, error: `"${b64.slice(0, 12)}…" is not valid base64 (RFC 4648 §4)` };
  const key: SdesKey = { keySalt };
  if (suite) key.suite = suite;
  for (const part of rest) {
    const lifetime = /^(?:2\^(\d{1,2})|(\d{1,15}))$/.exec(part);
    const mki = /^(\d{1,10}):(\d{1,3})$/.exec(part);
    if (mki) {
      const value = Number(mki[1]);
      const length = Number(mki[2]);
      if (length < 1 || length > 128)
        return { ok: false, error: `MKI length ${length} is outside 1–128 bytes (RFC 4568 §6.1)` };
      if (length < 8 && value >= 2 ** (8 * length))
        return { ok: false, error: `MKI ${value} does not fit in ${length} byte(s)` };
      const bytes = new Uint8Array(length);
      for (let i = length - 1, v = value; i >= 0 && v > 0; i--, v = Math.floor(v / 256)) bytes[i] = v % 256;
      key.mki = { value, length, bytes };
    } else if (lifetime) {
      key.lifetime = lifetime[1] !== undefined ? 2 ** Number(lifetime[1]) : Number(lifetime[2]);
    } else {
      return { ok: false, error: `"|${part}" is neither a lifetime (2^20) nor an MKI (1:4) (RFC 4568 §6.1)` };
    }
  }
  if (suite) {
    const s = SRTP_SUITES[suite];
    if (keySalt.length !== s.keyLength + s.saltLength) {
      return { ok: false, error: keyLengthError(suite, keySalt.length) };
    }
  } else if (suitesForKeyLength(keySalt.length).length === 0) {
    return {
      ok: false,
      error: `the key decodes to ${keySalt.length} bytes; SDES keys are 30 (AES_CM_128), 46 (AES_256_CM), 28 (AEAD_AES_128_GCM) or 44 (AEAD_AES_256_GCM) bytes`,
    };
  }
  return { ok: true, key };
}

export function keyLengthError(suite: SrtpSuiteName, got: number): string {
  const s = SRTP_SUITES[suite];
  const need = s.keyLength + s.saltLength;
  return `${suite} needs ${need} bytes of key||salt (${s.keyLength}-byte key, ${s.saltLength}-byte salt; ${Math.ceil(need / 3) * 4} base64 characters), got ${got}`;
}
