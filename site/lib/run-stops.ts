/**
 * Where Next step and Previous step stop: a newcomer reads a call by its
 * moves, not by its TCP segments. A stop is
 *
 * - a flight: the packets one party sends at one instant (each within a
 *   millisecond of the one before: one burst of writes leaving the stack),
 *   (a TLS server's ServerHello … Finished, the 100 Trying, 180 Ringing and
 *   200 OK an SBC answers an INVITE with); or
 * - a run of media, as the ladder folds it (ladder-rows.ts).
 *
 * A flight of nothing but bare TCP ACKs is no stop of its own: it joins the
 * stop before it (the first, the stop after it). Each stop opens one packet
 * in the inspector, its lead: the packet that carries a failure if one does,
 * else the last that carries a message (a flight ends in what it was sent
 * for: Finished, the REGISTER after it, the 200 OK), else its first; a media
 * run opens on its first packet. Nothing here reads protocol content beyond
 * the Timeline's labels.
 */
import type { Step } from '../../sim/index';
import { isBareAck, mediaRuns } from './ladder-rows';

/** Packets a party sends less than this apart (virtual ms) leave in one burst: one flight. */
const FLIGHT_GAP_MS = 1;

export interface Stop {
  /** Index of its first step. */
  first: number;
  /** Index of its last step. */
  last: number;
  /** The step the inspector opens. */
  lead: number;
  /** Whether it is a folded run of media. */
  media: boolean;
}

export function runStops(steps: readonly Step[]): Stop[] {
  const runs = mediaRuns(steps);
  const stops: Stop[] = [];
  let pendingAcks: number | undefined;
  let i = 0;
  let r = 0;
  while (i < steps.length) {
    if (r < runs.length && runs[r][0] === i) {
      const [start, end] = runs[r++];
      stops.push({ first: pendingAcks ?? start, last: end - 1, lead: start, media: true });
      pendingAcks = undefined;
      i = end;
      continue;
    }
    const limit = r < runs.length ? runs[r][0] : steps.length;
    let j = i + 1;
    while (j < limit && steps[j].from === steps[i].from && steps[j].time - steps[j - 1].time < FLIGHT_GAP_MS) j++;
    const flight = steps.slice(i, j);
    if (flight.every(isBareAck)) {
      // Housekeeping: it joins the stop before it, or waits for the next.
      const before = stops.at(-1);
      if (before) before.last = j - 1;
      else pendingAcks ??= i;
    } else {
      stops.push({ first: pendingAcks ?? i, last: j - 1, lead: leadOf(flight), media: false });
      pendingAcks = undefined;
    }
    i = j;
  }
  if (pendingAcks !== undefined)
    stops.push({ first: pendingAcks, last: steps.length - 1, lead: pendingAcks, media: false });
  return stops;
}

function leadOf(flight: readonly Step[]): number {
  const failed = flight.find((s) => s.failure !== undefined);
  if (failed) return failed.index;
  const messages = flight.filter((s) => !isBareAck(s));
  return (messages.at(-1) ?? flight[0]).index;
}

/** The stop that holds step `index`, by position in `stops`; -1 when none does. */
export function stopHolding(stops: readonly Stop[], index: number): number {
  let lo = 0;
  let hi = stops.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (stops[mid].last < index) lo = mid + 1;
    else if (stops[mid].first > index) hi = mid - 1;
    else return mid;
  }
  return -1;
}
