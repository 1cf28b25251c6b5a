/**
 * One text for each failure's cause and fix: the engine's scenario holds it
 * (the lab shows it beside a run that fails that way), and the
 * troubleshooting article prints it with `<ScenarioRemedy>`. Every scenario
 * that fails has both, in the article's section the engine links to, and
 * the article writes no cause or fix of its own for them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import GithubSlugger from 'github-slugger';
import { listScenarios, scenarioRemedy } from '../../sim/index';
import { carrier } from '../../site/components/docs/carrier-profile';

const source = readFileSync(new URL('../../content/docs/docs/troubleshooting.mdx', import.meta.url), 'utf8');

/** The article's `###` sections by their heading's anchor, as Astro makes it (github-slugger). */
function sections(): Map<string, string> {
  const slugger = new GithubSlugger();
  const out = new Map<string, string>();
  for (const part of source.split(/^(?=#{2,3} )/m).slice(1)) {
    const heading = /^#{2,3}\s+(.+)$/m.exec(part)![1].replace(/`([^`]*)`/g, '$1');
    out.set(slugger.slug(heading), part);
  }
  return out;
}

const failing = listScenarios().filter((s) => !s.expected.ok);

describe('the troubleshooting article and the lab read the same cause and fix', () => {
  const bySection = sections();

  it.each(failing.map((s) => [s.id]))('%s: its cause and fix are in the engine and in its section', (id) => {
    const remedy = scenarioRemedy(id, carrier);
    expect(remedy, `${id} has words for its failure`).toBeDefined();
    expect(remedy!.cause.trim().length).toBeGreaterThan(30);
    expect(remedy!.fix.trim().length).toBeGreaterThan(20);
    const anchor = remedy!.article.href.replace(/^\/docs\/troubleshooting\/#/, '');
    const section = bySection.get(anchor);
    expect(section, `the article has a section #${anchor}`).toBeDefined();
    expect(section).toContain(`<ScenarioRemedy id="${id}" part="cause" />`);
    expect(section).toContain(`<ScenarioRemedy id="${id}" part="fix" />`);
    expect(section, 'no cause or fix written beside the engine’s').not.toMatch(/^\*\*(Cause|Fix)\.\*\*/m);
  });

  it('prints the words with the site’s carrier profile', () => {
    expect(scenarioRemedy('wrong-port', carrier)!.fix).toContain(String(carrier.sbc.tlsPort));
    expect(scenarioRemedy('wrong-root-installed', carrier)!.fix).toContain(carrier.ca.rootName);
    expect(scenarioRemedy('secure-call', carrier)).toBeUndefined();
  });
});
