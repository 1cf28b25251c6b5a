/**
 * Opening a capture in the lab: the file (and a key log, or the secrets
 * inside a pcapng) becomes a Timeline, shown like a simulated run, and the
 * diagnosis `trunklab analyze` prints. The file is fed in chunks, so the
 * worker can report progress and stop when asked; nothing here touches the
 * network or the DOM.
 */
import type { Step, Timeline } from '../timeline';
import type { SdesKey } from '../rtp/sdes-key';
import { CaptureAnalysis, type CaptureReport } from './capture-analysis';
import { CaptureSteps, MAX_CAPTURE_STEPS } from './capture-steps';

export interface OpenCaptureOptions {
  /** The capture file's name, as the Timeline names it. */
  name: string;
  keyLog?: string;
  keys?: SdesKey[];
  /** Steps the Timeline holds at most. */
  maxSteps?: number;
  /** Hears each step as soon as it is final. */
  onStep?: (step: Step) => void;
}

export interface OpenedCapture {
  timeline: Timeline;
  report: CaptureReport;
}

/** Bytes of decrypted G.711 kept per stream for the call audio: ten minutes at 8000 bytes a second. */
const AUDIO_BYTES = 10 * 60 * 8000;

export class CaptureOpening {
  private readonly steps: CaptureSteps;
  private readonly analysis: CaptureAnalysis;

  constructor(private readonly options: OpenCaptureOptions) {
    this.steps = new CaptureSteps({ maxSteps: options.maxSteps ?? MAX_CAPTURE_STEPS, onStep: options.onStep });
    this.analysis = new CaptureAnalysis({
      keyLog: options.keyLog,
      keys: options.keys,
      observer: this.steps,
      audioBytes: AUDIO_BYTES,
    });
  }

  /** Feeds the next chunk of the file; throws a ParseError when it is not a readable capture. */
  push(chunk: Uint8Array): void {
    this.analysis.push(chunk);
  }

  get packetsRead(): number {
    return this.analysis.packetsRead;
  }

  end(): OpenedCapture {
    const report = this.analysis.end();
    const steps = this.steps.steps;
    const first = this.analysis.firstPacketTimeMs ?? 0;
    const keyLog = this.analysis.secrets.text();
    const audio = CaptureSteps.audio(this.analysis.heardStreams);
    const timeline: Timeline = {
      scenario: 'capture',
      seed: 0,
      live: false,
      startedAt: new Date(first).toISOString(),
      steps,
      outcome: report.outcome,
      ...(audio.length ? { audio } : {}),
      ...(keyLog ? { keyLog } : {}),
      capture: {
        name: this.options.name,
        packets: report.capture.packets,
        notShown: this.steps.notShown,
        otherTraffic: this.steps.otherTraffic,
      },
    };
    return { timeline, report };
  }
}

/** A whole capture held in memory, opened at once. */
export function openCapture(bytes: Uint8Array, options: OpenCaptureOptions): OpenedCapture {
  const opening = new CaptureOpening(options);
  opening.push(bytes);
  return opening.end();
}
