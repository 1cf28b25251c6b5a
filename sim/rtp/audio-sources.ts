/**
 * What the lab's calls carry: the spoken phrase shipped in
 * `audio/spoken-phrase.ts` (see `audio/README.md` for how it was made), and
 * computed tones — a 1004 Hz test tone, such as carriers send to check a
 * path, and the 440 + 480 Hz North American ringback — all as 16-bit samples
 * at 8000 Hz, ready for `G711Packetizer`.
 */
import { fromBase64 } from '../wire/bytes';
import { SPOKEN_PHRASE_PCM16LE_BASE64, SPOKEN_PHRASE_SAMPLE_RATE, SPOKEN_PHRASE_TEXT } from './audio/spoken-phrase';

export interface AudioClip {
  /** What the clip says or is. */
  title: string;
  sampleRate: number;
  samples: Int16Array;
}

let phrase: AudioClip | undefined;

/** The spoken phrase, decoded once from its base64 module. */
export function spokenPhrase(): AudioClip {
  if (!phrase) {
    const bytes = fromBase64(SPOKEN_PHRASE_PCM16LE_BASE64);
    if (!bytes || bytes.length % 2 !== 0)
      throw new Error('audio/spoken-phrase.ts is corrupt: regenerate it with audio/generate.sh');
    const samples = new Int16Array(bytes.length / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16) >> 16;
    phrase = { title: SPOKEN_PHRASE_TEXT, sampleRate: SPOKEN_PHRASE_SAMPLE_RATE, samples };
  }
  return phrase;
}

/**
 * A sum of sine tones at 8000 Hz, each at `levelDbfs` (relative to a full-scale
 * sine), with 5 ms ramps at both ends so the start and stop do not click.
 */
export function toneSamples(frequencies: readonly number[], durationMs: number, levelDbfs = -13): Int16Array {
  const n = Math.round((durationMs / 1000) * 8000);
  const amplitude = 32767 * 10 ** (levelDbfs / 20);
  const ramp = 40;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const f of frequencies) v += Math.sin((2 * Math.PI * f * i) / 8000);
    const envelope = Math.min(1, i / ramp, (n - 1 - i) / ramp);
    out[i] = Math.round(amplitude * envelope * v);
  }
  return out;
}

export const TEST_TONE_HZ = [1004];
export const RINGBACK_HZ = [440, 480];
