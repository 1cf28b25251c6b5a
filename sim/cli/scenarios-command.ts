/** `trunklab scenarios [--json]`: the scenario ids, titles, expected outcomes and what-ifs (`trunklab run --what-if ID=VALUE`). */
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type Command } from './io';

export const scenariosCommand: Command = {
  name: 'scenarios',
  synopsis: 'trunklab scenarios [--json]',
  description: 'Lists the scenarios, what each teaches and how it is expected to end.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('scenarios', args, { json: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`scenarios: unexpected argument "${positionals[0]}"`);
    const { listScenarios } = await import('../index');
    const list = listScenarios();
    if (values.json) {
      ctx.stdout(JSON.stringify(list, null, 2) + '\n');
      return EXIT.ok;
    }
    const width = Math.max(...list.map((s) => s.id.length));
    for (const s of list) {
      const expected = s.expected.ok ? 'succeeds' : `fails at ${s.expected.stage}: ${s.expected.reason}`;
      ctx.stdout(`${s.id.padEnd(width)}  ${s.title} (${expected})\n`);
      if (s.whatIf?.length) {
        const settings = s.whatIf.map((w) => `${w.id}=${w.choices.map((c) => c.value).join('|')}`).join(', ');
        ctx.stdout(`${' '.repeat(width)}  what-if: ${settings}\n`);
      }
    }
    return EXIT.ok;
  },
};
