/** How long the engine takes to compute a whole scenario in Node. */
import { runScenario, listScenarios } from '../../sim/index';
import type { CarrierProfile } from '../../sim/carrier';
import carrier from '../../content/carrier.json';
import { medianMs, printTable } from './measure';

export default async function bench(): Promise<void> {
  const rows = [];
  for (const { id } of listScenarios()) {
    const ms = await medianMs(() => runScenario(id, { seed: 1, carrier: carrier as CarrierProfile }), 21);
    rows.push({ scenario: id, 'median ms (Node)': ms });
  }
  printTable(rows);
}
