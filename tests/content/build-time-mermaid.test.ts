/**
 * Diagrams drawn at build time (site/components/docs/build-time-mermaid.mjs):
 * with a Chromium, mermaid sources become inline SVG; without one (or with
 * TRUNKLAB_DIAGRAMS=source) the build still succeeds, keeps each diagram's
 * source as a labelled code block and warns once with how to get a browser.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findChromium } from '../../scripts/tools.js';

type Node = { type: string; tagName?: string; value?: string; properties?: Record<string, unknown>; children?: Node[] };

const mermaidBlock = (source: string): Node => ({
  type: 'element',
  tagName: 'pre',
  properties: {},
  children: [
    {
      type: 'element',
      tagName: 'code',
      properties: { className: ['language-mermaid'] },
      children: [{ type: 'text', value: source }],
    },
  ],
});

const text = (n: Node): string => (n.type === 'text' ? (n.value ?? '') : (n.children ?? []).map(text).join(''));

async function freshModule(env: string | undefined) {
  vi.resetModules();
  if (env === undefined) delete process.env.TRUNKLAB_DIAGRAMS;
  else process.env.TRUNKLAB_DIAGRAMS = env;
  return import('../../site/components/docs/build-time-mermaid.mjs');
}

afterEach(() => {
  delete process.env.TRUNKLAB_DIAGRAMS;
  vi.restoreAllMocks();
});

describe('a build without a browser', () => {
  it('keeps each mermaid block as its source in a labelled figure and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = await freshModule('source');
    const plugins = await m.mermaidRehypePlugins();
    expect(plugins).toHaveLength(1);
    const source = 'sequenceDiagram\n  PBX->>SBC: ClientHello';
    const tree: Node = {
      type: 'root',
      children: [mermaidBlock(source), { type: 'element', tagName: 'p', children: [] }],
    };
    (plugins[0] as () => (t: Node) => void)()(tree);
    const figure = tree.children![0];
    expect(figure.tagName).toBe('figure');
    expect(figure.properties?.className).toEqual(['diagram', 'diagram-source']);
    expect(text(figure.children![0])).toBe(source);
    expect(text(figure.children![1])).toBe(m.SOURCE_CAPTION);
    expect(tree.children![1].tagName).toBe('p');
    expect(await m.renderMermaid(source, 'x')).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/kept as source code blocks.*TRUNKLAB_CHROMIUM/);
  });
});

describe('a build with a browser', async () => {
  const chromium = await findChromium();

  it.skipIf(!chromium)('draws a diagram into inline SVG whose ids start with the prefix', async () => {
    const m = await freshModule(undefined);
    const svg = await m.renderMermaid(`sequenceDiagram\n  PBX->>SBC: ClientHello ${Date.now()}`, 'unit-test');
    expect(svg).toMatch(/^<svg id="unit-test-0"/);
    expect(svg).toContain('ClientHello');
    expect(svg).not.toContain('<script');
  });

  it.skipIf(!chromium)('fails the build on a diagram mermaid cannot parse', async () => {
    const m = await freshModule(undefined);
    await expect(m.renderMermaid(`sequenceDiagram\n  PBX->>: ${Date.now()}`, 'broken')).rejects.toThrow(
      /could not draw/,
    );
  });

  it.skipIf(!chromium)(
    'gives articles the plugins that wrap each block in a figure, draw it, and keep its text readable',
    async () => {
      const m = await freshModule(undefined);
      const plugins = await m.mermaidRehypePlugins();
      expect(plugins).toHaveLength(3);
      const tree: Node = { type: 'root', children: [mermaidBlock('flowchart LR\n  a --> b')] };
      (plugins[0] as () => (t: Node) => void)()(tree);
      expect(tree.children![0].tagName).toBe('figure');
      expect(tree.children![0].children![0].tagName).toBe('pre');
      // A drawn diagram 800 units wide with 8 px text: 11 px text needs it 1100 px wide at least.
      const svg: Node = {
        type: 'element',
        tagName: 'svg',
        properties: { viewBox: '0 0 800 300', style: 'max-width: 800px;' },
        children: [{ type: 'element', tagName: 'style', children: [{ type: 'text', value: 'text{font-size:8px}' }] }],
      };
      const drawn: Node = { type: 'root', children: [{ type: 'element', tagName: 'figure', children: [svg] }] };
      (plugins[2] as () => (t: Node) => void)()(drawn);
      expect(svg.properties!.style).toBe(
        `max-width: 800px; --diagram-min-width: ${(800 * m.MIN_DIAGRAM_TEXT_PX) / 8}px;`,
      );
    },
  );
});
