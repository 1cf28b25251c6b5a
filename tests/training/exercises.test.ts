/**
 * Every failing scenario is a "Diagnose the trunk" exercise: it has symptom
 * texts, a proof pattern, 4 to 6 causes from its own stage and 3 to 5 fixes;
 * the packets its pattern picks out of a real run are the ones that carry
 * the failure, the run's proving step among them; its symptom does not
 * give the answer away by naming the scenario; and neither do its packets
 * as the trainee reads them before answering, nor the files the exercise
 * offers (their names, their packet comments).
 */
import { describe, expect, it } from 'vitest';
import { exportExercise, listExercises, listScenarios, provingSteps, unmarkedSteps } from '../../sim/index';
import { DEFINITIONS } from '../../sim/scenarios/catalogue';
import { exerciseProblems, trainingStage } from '../../sim/training/exercise';
import { CAUSES } from '../../sim/training/choices';
import { profile, run } from '../scenarios/runs';
import { giveaways } from './giveaways';

const failing = DEFINITIONS.filter((d) => !d.expected.ok);
const exercises = listExercises(profile);

describe('training data', () => {
  it('makes every failing scenario an exercise, and nothing else', () => {
    expect(failing.flatMap(exerciseProblems)).toEqual([]);
    expect(exercises.map((e) => e.scenario).sort()).toEqual(failing.map((d) => d.id).sort());
  });

  it('reports a failing scenario without training data, and causes from another stage', () => {
    const d = failing.find((x) => x.id === 'wrong-root-installed')!;
    const { training, ...bare } = d;
    expect(exerciseProblems(bare)).toEqual([`${d.id}: a failing scenario has no training data`]);
    const mixed = {
      ...d,
      training: { ...training!, causes: ['srtp-off', 'wrong-root', 'wrong-port', 'interception'] },
    };
    expect(exerciseProblems(mixed as typeof d)).toEqual([`${d.id}: cause srtp-off is not a tls cause`]);
  });

  it('offers the right cause and fix first, with words that tell each apart', () => {
    for (const e of exercises) {
      for (const c of [...e.causes, ...e.fixes]) {
        expect(c.text.length, `${e.scenario} ${c.id}`).toBeGreaterThan(20);
        expect(c.tell.length, `${e.scenario} ${c.id}`).toBeGreaterThan(20);
      }
      expect(Object.keys(CAUSES[e.stage])).toContain(e.causes[0].id);
      expect(e.remedy.article.href).toMatch(/^\/docs\/troubleshooting\/#[\w-]+$/);
    }
  });

  it('gives call set-up a fair choice: four of its faults are exercises', () => {
    expect(exercises.filter((e) => e.stage === 'call-setup').length).toBeGreaterThanOrEqual(4);
  });

  it('writes ports and names from the carrier profile, not typed by hand', () => {
    const other = { ...profile, sbc: { ...profile.sbc, tlsPort: 15061, plainPort: 15060 } };
    const texts = listExercises(other).flatMap((e) => [...e.causes, ...e.fixes].flatMap((c) => [c.text, c.tell]));
    expect(texts.some((t) => t.includes('15061'))).toBe(true);
    expect(texts.some((t) => t.includes('15060'))).toBe(true);
    for (const t of texts) expect(t, t).not.toMatch(/\b506[01]\b/);
  });

  it('keeps the scenario out of its symptom', () => {
    for (const e of exercises) {
      const d = failing.find((x) => x.id === e.scenario)!;
      const symptom = [e.ticket, e.pbx.status, e.pbx.log, e.hint].join('\n');
      expect(symptom, e.scenario).not.toContain(d.id);
      expect(symptom.toLowerCase(), e.scenario).not.toContain(d.title.toLowerCase());
      expect(symptom, e.scenario).not.toContain(e.remedy.cause);
    }
  });

  describe.each(exercises.map((e) => [e.scenario, e] as const))('%s', (id, e) => {
    it('proves its cause with the packets that carry the failure, in its stage', async () => {
      const t = await run(id);
      const proof = provingSteps(t.steps, e.proof);
      expect(proof.length).toBeGreaterThan(0);
      expect(proof).toContain(t.outcome.step);
      for (const i of proof) expect(t.steps[i].failure, `step ${i}`).toBeDefined();
      // A stage the definition names instead (an INVITE refused by SIP is call set-up) is the proof's phase.
      const d = failing.find((x) => x.id === id)!;
      if (d.training!.stage) for (const i of proof) expect(t.steps[i].phase, `step ${i}`).toBe(e.stage);
      else expect(trainingStage(t.outcome.stage)).toBe(e.stage);
      // A pattern that picks another packet is caught: the ClientHello never carries the failure.
      expect(provingSteps(t.steps, { from: 'pbx', summary: 'ClientHello', which: 'first' })).not.toContain(
        t.outcome.step,
      );
    });

    it('names neither its scenario nor its outcome in the packets or files a trainee reads first', async () => {
      const t = await run(id);
      const info = listScenarios().find((s) => s.id === id)!;
      const words = giveaways(info, t, e);
      const seen = unmarkedSteps(t.steps);
      const texts = seen.flatMap((s) => [
        s.summary,
        s.explanation,
        ...s.articles.map((a) => `${a.title} ${a.href}`),
        ...Object.values(s.views).map((v) => v.summary),
      ]);
      for (const s of seen) expect(s.failure ?? s.unmarked, `step ${s.index}`).toBeUndefined();
      for (const w of words) for (const text of texts) expect(text, `"${w}"`).not.toContain(w);
      // The packets the attacker made are no longer said to be its doing.
      for (const s of seen)
        expect(s.explanation, `step ${s.index}`).not.toMatch(
          /The attacker (flipped|took|rewrote|made|dropped|answers)|copy the attacker/,
        );

      for (const kind of ['pcapng', 'keylog', 'media-pcap'] as const) {
        if (kind === 'keylog' && !t.keyLog) continue;
        if (kind === 'media-pcap' && !t.audio) continue;
        const file = exportExercise(t, kind);
        expect(file.filename).toMatch(/^trunk-exercise-seed1\./);
        const text = new TextDecoder().decode(file.bytes);
        for (const w of [...words, '✗', '(tampered', '(replayed']) expect(text, `${kind}: "${w}"`).not.toContain(w);
      }
      // The diagram and the Timeline state the outcome: an exercise does not offer them.
      expect(() => exportExercise(t, 'mermaid')).toThrow('an exercise offers no mermaid file');
      expect(() => exportExercise(t, 'timeline')).toThrow('an exercise offers no timeline file');
    });
  });
});
