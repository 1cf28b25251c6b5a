/**
 * `trunklab run ID [--seed N] [--json] ...`: runs a scenario headless and
 * prints each step and the outcome.
 */
import { listScenarios, runScenario, UnknownScenarioError } from '../index';
import type { Timeline } from '../timeline';
import { integerOption, parseCommandArgs } from './args';
import { EXIT, UsageError, type Command } from './io';

export const runCommand: Command = {
  name: 'run',
  synopsis: 'trunklab run ID [--seed N] [--json]',
  description: 'Runs a scenario and prints each packet, what the attacker could read, and the outcome.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('run', args, {
      seed: { type: 'string' },
      json: { type: 'boolean' },
    });
    const known = listScenarios().map((s) => s.id);
    if (positionals.length !== 1) {
      throw new UsageError(`run: give one scenario id; one of: ${known.join(', ')}`);
    }
    const seed = integerOption('run', 'seed', values.seed, 1);
    let timeline: Timeline;
    try {
      timeline = await runScenario(positionals[0], { seed, carrier: ctx.carrier });
    } catch (e) {
      if (e instanceof UnknownScenarioError) throw new UsageError(`run: ${e.message}`);
      throw e;
    }
    if (values.json) {
      ctx.stdout(JSON.stringify(timeline) + '\n');
    } else {
      ctx.stdout(formatTimeline(timeline));
    }
    return timeline.outcome.ok ? EXIT.ok : EXIT.failed;
  },
};

function formatTimeline(t: Timeline): string {
  const lines = [`${t.scenario} (seed ${t.seed}${t.live ? ', live' : ''})`];
  for (const s of t.steps) {
    const time = `${(s.time / 1000).toFixed(3)}s`.padStart(9);
    lines.push(
      `${String(s.index).padStart(3)} ${time}  ${s.from.toUpperCase()} → ${s.to.toUpperCase()}  ${s.protocol}/${s.transport.toUpperCase()}  ${s.summary}${s.failure ? `  ✗ ${s.failure}` : ''}`,
    );
    lines.push(`               attacker: ${s.views.attacker.summary}`);
  }
  const o = t.outcome;
  lines.push(o.ok ? `outcome: ok — ${o.summary}` : `outcome: failed at ${o.stage} (${o.reason}) — ${o.summary}`);
  return lines.join('\n') + '\n';
}
