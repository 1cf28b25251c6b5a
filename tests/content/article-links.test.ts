/**
 * Every article's links and embeds resolve:
 *
 * - each article has a title and a description (for link previews);
 * - every internal link (`/docs/NAME/#anchor`, `#anchor`, `/?scenario=ID`)
 *   points at an article that exists and a heading it has (heading ids are
 *   the ones Astro gives, by github-slugger);
 * - every embedded scenario and step (`<LiveStep>`, `<SipMessage>`,
 *   `<ScenarioCard>`, `<RunDiagram>`) exists in the engine's catalogue (`listScenarios()`),
 *   each step is found in a real run, and a failure reason an article names
 *   is the one the catalogue expects;
 * - every link the engine gives from a scenario or a step to an article
 *   resolves the same way.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { listExercises, listScenarios, type CarrierProfile } from '../../sim/index';
import { decodeSet } from '../../site/lib/training-set';
import carrier from '../../content/carrier.json';
import { CERTIFICATE_FAILURES } from '../../site/components/docs/certificate-failures';
import {
  articleRun,
  describeProblem,
  resolveStep,
  type StepReference,
} from '../../site/components/docs/scenario-steps';

const ARTICLES_DIR = new URL('../../content/docs/docs/', import.meta.url).pathname;

interface Article {
  name: string;
  source: string;
  frontmatter: Record<string, string>;
  anchors: Set<string>;
}

function readArticles(): Map<string, Article> {
  const articles = new Map<string, Article>();
  for (const file of readdirSync(ARTICLES_DIR).filter((f) => /\.mdx?$/.test(f))) {
    const source = readFileSync(join(ARTICLES_DIR, file), 'utf8');
    const fm = /^---\n([\s\S]*?)\n---\n/.exec(source);
    const frontmatter: Record<string, string> = {};
    for (const line of fm?.[1].split('\n') ?? []) {
      const m = /^(\w+):\s*(.*)$/.exec(line);
      if (m) frontmatter[m[1]] = m[2].trim();
    }
    // Heading ids as Astro makes them: github-slugger over the heading's text, per page.
    const slugger = new GithubSlugger();
    const anchors = new Set<string>();
    const body = source.slice(fm?.[0].length ?? 0).replace(/```[\s\S]*?```/g, '');
    for (const m of body.matchAll(/^#{1,6}\s+(.+)$/gm)) {
      const text = m[1].replace(/`([^`]*)`/g, '$1').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
      anchors.add(slugger.slug(text));
    }
    articles.set(file.replace(/\.mdx?$/, ''), { name: file, source, frontmatter, anchors });
  }
  return articles;
}

const articles = readArticles();

/** Internal links written in an article: Markdown links and JSX/HTML hrefs. */
function internalLinks(source: string): string[] {
  const withoutCode = source.replace(/```[\s\S]*?```/g, '');
  const links = [
    ...[...withoutCode.matchAll(/\]\(((?:\/|#)[^)\s]*)\)/g)].map((m) => m[1]),
    ...[...withoutCode.matchAll(/href="((?:\/|#)[^"]*)"/g)].map((m) => m[1]),
  ];
  return [...new Set(links)];
}

type Embed = StepReference & { component: string; reason?: string };

/** `<LiveStep scenario=".." at=".." occurrence={2} />`, `<SipMessage ...>`, `<ScenarioCard id=".." reason="..">`. */
function embeds(source: string): Embed[] {
  const out: Embed[] = [];
  for (const m of source.matchAll(/<(LiveStep|SipMessage|ScenarioCard|RunDiagram)\b([\s\S]*?)\/>/g)) {
    const attr = (name: string) => new RegExp(`\\b${name}=(?:"([^"]*)"|\\{(\\d+)\\})`).exec(m[2]);
    const value = (name: string) => {
      const a = attr(name);
      return a ? (a[1] ?? a[2]) : undefined;
    };
    const occurrence = value('occurrence');
    out.push({
      component: m[1],
      scenario: (m[1] === 'ScenarioCard' ? value('id') : value('scenario')) ?? '',
      at: value('at'),
      occurrence: occurrence === undefined ? undefined : Number(occurrence),
      reason: value('reason'),
    });
  }
  return out;
}

const known = new Set(listScenarios().map((s) => s.id));
const exercises = listExercises(carrier as CarrierProfile);

/** What is wrong with an internal link, or undefined when it resolves. */
function linkProblem(href: string, from?: Article): string | undefined {
  const url = new URL(href, 'http://docs.test/docs/here/');
  if (url.pathname === '/') {
    // The lab, optionally at a scenario.
    const id = url.searchParams.get('scenario');
    return id === null || known.has(id) ? undefined : `unknown scenario "${id}"`;
  }
  if (url.pathname === '/train/' || url.pathname === '/train/build/') {
    // The training pages; a set in the link must open there.
    const code = url.searchParams.get('set');
    if (code === null) return undefined;
    try {
      decodeSet(code, exercises);
      return undefined;
    } catch (e) {
      return `the training set does not open: ${(e as Error).message}`;
    }
  }
  const embed = /^\/embed\/(?:([\w-]+)\/)?$/.exec(url.pathname);
  if (embed) {
    // The embed pages: one per scenario in the catalogue, and the index.
    return embed[1] === undefined || known.has(embed[1]) ? undefined : `no embed page for scenario "${embed[1]}"`;
  }
  let target: Article | undefined;
  if (href.startsWith('#')) target = from;
  else {
    const m = /^\/docs\/([\w-]+)\/$/.exec(url.pathname);
    if (!m) return `not an article path (want /docs/NAME/): ${url.pathname}`;
    target = articles.get(m[1]);
    if (!target) return `no article ${m[1]}`;
  }
  const anchor = decodeURIComponent(url.hash.slice(1));
  if (anchor && !target!.anchors.has(anchor)) return `${target!.name} has no heading #${anchor}`;
  return undefined;
}

describe('articles', () => {
  it('there are the twelve articles of the knowledge base', () => {
    expect(articles.size).toBeGreaterThanOrEqual(12);
  });

  describe.each([...articles.values()].map((a) => [a.name, a] as const))('%s', (_name, article) => {
    it('has a title and a description fit for a link preview', () => {
      expect(article.frontmatter.title?.length ?? 0).toBeGreaterThan(3);
      expect(article.frontmatter.description?.length ?? 0).toBeGreaterThanOrEqual(50);
      // Link previews cut descriptions at about 160 to 240 characters, depending on the site.
      expect(article.frontmatter.description.length).toBeLessThanOrEqual(240);
    });

    it('links only to articles, headings and scenarios that exist', () => {
      const broken = internalLinks(article.source)
        .map((href) => [href, linkProblem(href, article)] as const)
        .filter(([, problem]) => problem !== undefined);
      expect(broken).toEqual([]);
    });

    const list = embeds(article.source);
    const ready = list.filter((e) => known.has(e.scenario));
    const unknown = list.filter((e) => !known.has(e.scenario));

    it('embeds no scenario that the catalogue does not have', () => {
      expect(unknown.map((e) => `${e.component} ${e.scenario}`)).toEqual([]);
    });

    for (const e of ready) {
      it(`${e.component} ${e.scenario}${e.at ? ` at "${e.at}"${e.occurrence ? ` #${e.occurrence}` : ''}` : ''} resolves`, async () => {
        const resolution = await resolveStep(e);
        expect(describeProblem(resolution)).toBeUndefined();
        if (e.reason !== undefined && resolution.kind === 'scenario-only') {
          expect(resolution.scenario.expected.reason).toBe(e.reason);
        }
      });
    }
  });
});

describe("the engine's links into the articles", () => {
  it.each(listScenarios().map((s) => [s.id, s.article] as const))('scenario %s links to %s', (_id, href) => {
    expect(linkProblem(href)).toBeUndefined();
  });

  it.each(listScenarios().map((s) => s.id))('every step of %s links to articles that exist', async (id) => {
    const timeline = await articleRun(id);
    const broken = timeline.steps.flatMap((step) =>
      step.articles
        .map((a) => [`step ${step.index + 1} ${step.summary}: ${a.href}`, linkProblem(a.href)] as const)
        .filter(([, problem]) => problem !== undefined),
    );
    expect(broken).toEqual([]);
  });
});

describe('the link checker itself', () => {
  it('catches a missing article, a missing heading and an unknown scenario', () => {
    expect(linkProblem('/docs/no-such-article/')).toMatch(/no article/);
    expect(linkProblem('/docs/tls-handshake/#no-such-heading')).toMatch(/no heading/);
    expect(linkProblem('/?scenario=no-such-scenario')).toMatch(/unknown scenario/);
    expect(linkProblem('/docs/tls-handshake/#clienthello')).toBeUndefined();
  });
});

describe('the certificate failure table', () => {
  it.each(CERTIFICATE_FAILURES.map((r) => [r.scenario, r.alert] as const))('%s ends with %s', (scenario, alert) => {
    const info = listScenarios().find((s) => s.id === scenario);
    expect(info, `${scenario} is not in the catalogue`).toBeDefined();
    expect(info!.expected.reason).toBe(alert);
  });
});
