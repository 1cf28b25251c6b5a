/**
 * The carrier profile as articles read it: the one file a carrier edits
 * (content/carrier.json), typed by the engine's `CarrierProfile`, and a way
 * to name one of its values by path (`sbc.host`, `ca.rootName`). An unknown
 * path fails the build, so an article can never print a value that is not
 * in the profile.
 */
import type { CarrierProfile } from '../../../sim/carrier';
import profile from '../../../content/carrier.json';

export const carrier = profile as CarrierProfile;

export class UnknownCarrierValueError extends Error {
  constructor(readonly path: string) {
    super(`content/carrier.json has no value at "${path}"`);
  }
}

/** The value at a dotted path; arrays are joined with commas. */
export function carrierValue(path: string, from: unknown = carrier): string {
  let value: unknown = from;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) {
      throw new UnknownCarrierValueError(path);
    }
    value = (value as Record<string, unknown>)[key];
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object' || value === undefined) throw new UnknownCarrierValueError(path);
  return String(value);
}

/** `TLS 1.3 and TLS 1.2`: the versions the SBC accepts, newest first, in words. */
export function tlsVersionsInWords(c: CarrierProfile = carrier): string {
  const names = [...c.tls.versions]
    .sort()
    .reverse()
    .map((v) => `TLS ${v}`);
  return names.length <= 1 ? (names[0] ?? 'no TLS version') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
