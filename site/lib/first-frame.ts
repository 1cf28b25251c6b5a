/**
 * The lab's first frame, computed when the site is built: the default
 * scenario's run (the engine is a pure function of scenario, seed and
 * what-ifs, so these are the bytes the worker computes again in the
 * browser), cut down to what the first screen draws. Its first packet is
 * whole, for the inspector and the parties' panels; every packet is
 * outlined (who sent what to whom, when, in which phase, what an attacker
 * on the path sees of it), for the ladder and the chapters, which show the
 * whole run from the start. The page is served with that frame already
 * drawn, before any script runs; the worker's run then takes its place,
 * step by step, with the same rows in the same places.
 */
import type { Party, PartyView, Step, Timeline } from '../../sim/index';
import type { RunKey } from './engine-protocol';

/** What the ladder, the chapters and the step controls read of a packet the frame does not carry whole. */
export type StepOutline = Pick<Step, 'index' | 'phase' | 'time' | 'from' | 'to' | 'protocol' | 'summary'> & {
  failure?: string;
  /** How much an attacker on the path sees of it (the ladder's tap mark). */
  seen: PartyView['access'];
};

export interface FirstFrame {
  /** The run it shows: the lab's default. */
  key: RunKey;
  /** Its first packets, whole. */
  whole: Step[];
  /** Every packet of the run, outlined. */
  outline: StepOutline[];
}

/** How many packets the frame carries whole: the first, which the lab opens on. */
const WHOLE = 1;

export function firstFrame(key: RunKey, timeline: Timeline): FirstFrame {
  return {
    key,
    whole: timeline.steps.slice(0, WHOLE),
    outline: timeline.steps.map((s) => ({
      index: s.index,
      phase: s.phase,
      time: s.time,
      from: s.from,
      to: s.to,
      protocol: s.protocol,
      summary: s.summary,
      ...(s.failure !== undefined ? { failure: s.failure } : {}),
      seen: s.views.attacker.access,
    })),
  };
}

const NOT_HERE: PartyView = { access: 'none', summary: '', layers: [] };

/**
 * The run's steps as far as the frame knows them: `arrived` (whole steps the worker has sent), then
 * the frame's whole steps, then outlines standing in for the rest. An outline has no bytes, fields
 * or explanation: the lab never opens one, it only draws it on the ladder.
 */
export function framedSteps(frame: FirstFrame, arrived: readonly Step[] = []): Step[] {
  const known = arrived.length >= frame.whole.length ? arrived : frame.whole;
  return [...known, ...frame.outline.slice(known.length).map(outlined)];
}

function outlined(o: StepOutline): Step {
  const views: Record<Party, PartyView> = {
    pbx: NOT_HERE,
    attacker: { ...NOT_HERE, access: o.seen },
    sbc: NOT_HERE,
  };
  return {
    index: o.index,
    phase: o.phase,
    time: o.time,
    from: o.from,
    to: o.to,
    src: '',
    dst: '',
    transport: 'tcp',
    protocol: o.protocol,
    summary: o.summary,
    bytes: '',
    fields: [],
    views,
    explanation: '',
    articles: [],
    events: [],
    ...(o.failure !== undefined ? { failure: o.failure } : {}),
  };
}

/** Whether the frame shows this run. */
export function showsRun(frame: FirstFrame | undefined, key: RunKey): frame is FirstFrame {
  return (
    frame !== undefined &&
    frame.key.scenario === key.scenario &&
    frame.key.seed === key.seed &&
    frame.key.talkMs === key.talkMs &&
    Object.keys(key.whatIf).length === 0 &&
    Object.keys(frame.key.whatIf).length === 0
  );
}
