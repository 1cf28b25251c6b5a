/**
 * The engine's numbers as articles read them: a value named by path
 * (`rtp.g711PayloadBytes`, `srtp.suites.AES_CM_128_HMAC_SHA1_80.tagBytes`),
 * straight from the engine's own constants (sim/engine-facts.ts). An unknown
 * path fails the build, as the carrier profile's do.
 */
import { ENGINE_FACTS } from '../../../sim/index';
import { carrierValue } from './carrier-profile';

export const engine = ENGINE_FACTS;

export class UnknownEngineValueError extends Error {
  constructor(readonly path: string) {
    super(`the engine has no value at "${path}" (sim/engine-facts.ts)`);
  }
}

/** The value at a dotted path, as text. */
export function engineValue(path: string): string {
  try {
    return carrierValue(path, ENGINE_FACTS);
  } catch {
    throw new UnknownEngineValueError(path);
  }
}
