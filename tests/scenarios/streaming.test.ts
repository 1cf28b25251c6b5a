/**
 * The runner yields each step as soon as it is final, in order; what it
 * yields is exactly the Timeline it returns (a run whose attacker revisits
 * its recording after the call holds its steps back until then, so nothing
 * yielded changes later).
 */
import { describe, expect, it } from 'vitest';
import { runScenario, streamScenario, type Step } from '../../sim/index';
import { profile } from './runs';

describe('steps as they happen', () => {
  it.each(['secure-call', 'record-now-decrypt-later', 'options-keepalive', 'mitm-self-signed'])(
    '%s: the steps yielded, one by one, are the Timeline’s',
    async (id) => {
      const g = streamScenario(id, { seed: 3, carrier: profile });
      const first = await g.next();
      expect(first.done).toBe(false);
      expect(first.done === false && first.value.index).toBe(0);
      const yielded: Step[] = [first.value as Step];
      for (;;) {
        const next = await g.next();
        if (next.done) {
          expect(JSON.stringify(next.value.steps)).toBe(JSON.stringify(yielded));
          break;
        }
        expect(next.value.index).toBe(yielded.length);
        yielded.push(next.value);
      }
    },
  );

  it('runScenario hears each step through onStep, the same ones it returns', async () => {
    const heard: Step[] = [];
    const t = await runScenario('srtp-tamper', { seed: 3, carrier: profile }, (s) => heard.push(s));
    expect(heard).toEqual(t.steps);
  });

  it('an unknown scenario fails before anything runs', () => {
    expect(() => streamScenario('no-such-scenario', { seed: 1, carrier: profile })).toThrow(/known: options-keepalive/);
  });
});
