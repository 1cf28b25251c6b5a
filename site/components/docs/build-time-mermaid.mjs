/**
 * Mermaid diagrams, rendered when the site is built into inline SVG, so a
 * reader downloads no mermaid JavaScript (about 205 KB gzipped otherwise).
 *
 * Mermaid measures text in a real browser, so rendering needs a Chromium at
 * build time (found as `scripts/tools.js` `findChromium()` says:
 * TRUNKLAB_CHROMIUM, Playwright's own, Debian's headless shell or Chromium).
 *
 * A build on a machine without one still succeeds: each diagram stays on the
 * page as its mermaid source in a labelled code block (readable, and exact),
 * and the build prints one warning that says how to get a browser. Set
 * TRUNKLAB_DIAGRAMS=source to build that way on purpose (a quicker build).
 *
 * Used twice: as rehype plugins for ```mermaid blocks in articles (concept
 * diagrams), and by `RunDiagram.astro` for the sequence diagrams the engine
 * exports from a run.
 */
import rehypeMermaid from 'rehype-mermaid';
import { createMermaidRenderer } from 'mermaid-isomorphic';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findChromium } from '../../../scripts/tools.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Mermaid's own settings for every diagram on the site. */
export const MERMAID_CONFIG = {
  theme: 'neutral',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  sequence: { mirrorActors: false, showSequenceNumbers: false },
};

export const SOURCE_CAPTION = 'Diagram source (mermaid). This build had no browser to draw it.';

const HOW_TO_GET_A_BROWSER =
  'Set TRUNKLAB_CHROMIUM to a Chromium binary, or on Debian run `apt-get install -y chromium-headless-shell` (or `chromium`), then build again.';

let chromium;
let warned = false;

/** The Chromium that draws diagrams, or undefined when the build keeps their source. */
export async function diagramBrowser() {
  if (chromium === undefined) {
    chromium = process.env.TRUNKLAB_DIAGRAMS === 'source' ? null : ((await findChromium()) ?? null);
    if (chromium === null && !warned) {
      warned = true;
      const why =
        process.env.TRUNKLAB_DIAGRAMS === 'source' ? 'TRUNKLAB_DIAGRAMS=source is set' : 'no Chromium was found';
      console.warn(`[diagrams] ${why}: mermaid diagrams are kept as source code blocks. ${HOW_TO_GET_A_BROWSER}`);
    }
  }
  return chromium ?? undefined;
}

const isElement = (node, tagName) => node?.type === 'element' && node.tagName === tagName;

function classesOf(node) {
  const c = node.properties?.className;
  return Array.isArray(c) ? c : typeof c === 'string' ? c.split(/\s+/) : [];
}

/** `<pre><code class="language-mermaid">` blocks with their parent and index. */
function mermaidBlocks(tree) {
  const found = [];
  const walk = (node) => {
    if (!node.children) return;
    node.children.forEach((child, index) => {
      if (isElement(child, 'pre')) {
        const code = child.children.find((c) => isElement(c, 'code'));
        if (code && classesOf(code).includes('language-mermaid')) {
          found.push({ parent: node, index, pre: child, code });
          return;
        }
      }
      walk(child);
    });
  };
  walk(tree);
  return found;
}

const text = (node) => (node.type === 'text' ? node.value : (node.children ?? []).map((child) => text(child)).join(''));

/** hast for a diagram's source, kept readable when it cannot be drawn. */
export function sourceFigure(source) {
  return {
    type: 'element',
    tagName: 'figure',
    properties: { className: ['diagram', 'diagram-source'] },
    children: [
      {
        type: 'element',
        tagName: 'pre',
        properties: {},
        children: [
          {
            type: 'element',
            tagName: 'code',
            properties: { className: ['language-text'] },
            children: [{ type: 'text', value: source }],
          },
        ],
      },
      { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: SOURCE_CAPTION }] },
    ],
  };
}

/**
 * Wraps each mermaid block in `<figure class="diagram">`, which rehype-mermaid then fills with the SVG.
 * The figure takes keyboard focus, so the keyboard can scroll a diagram wider than a phone (see below).
 */
function rehypeDiagramFigures() {
  return (tree) => {
    for (const { parent, index, pre } of mermaidBlocks(tree)) {
      parent.children[index] = {
        type: 'element',
        tagName: 'figure',
        properties: { className: ['diagram'], tabIndex: 0 },
        children: [pre],
      };
    }
  };
}

/** The smallest text a diagram may be drawn with, in CSS pixels (a phone 390 px wide included). */
export const MIN_DIAGRAM_TEXT_PX = 11;

/**
 * How wide a diagram must stay so its smallest text is drawn at MIN_DIAGRAM_TEXT_PX or more: an
 * SVG scales its text with its width, so below this width the figure scrolls sideways instead of
 * shrinking the text to a few pixels. From the SVG's viewBox and the font sizes its styles set.
 * @param {string} viewBox
 * @param {string} styles the text of the SVG's style sheets and attributes
 */
export function readableMinWidth(viewBox, styles) {
  const width = Number(viewBox.trim().split(/[\s,]+/)[2]);
  const sizes = [...styles.matchAll(/font-size\s*[:=]\s*"?([\d.]+)px/g)].map((m) => Number(m[1])).filter((n) => n >= 6);
  const smallest = sizes.length > 0 ? Math.min(...sizes) : 16;
  return Number.isFinite(width) && width > 0 ? Math.ceil((width * MIN_DIAGRAM_TEXT_PX) / smallest) : undefined;
}

/** An SVG string from mermaid, given the min-width that keeps its text readable. */
export function readableSvg(svg) {
  const open = /^<svg\b[^>]*>/.exec(svg)?.[0];
  const viewBox = open && /viewBox="([^"]+)"/.exec(open)?.[1];
  const min = viewBox ? readableMinWidth(viewBox, svg) : undefined;
  if (!open || min === undefined) return svg;
  const styled = /style="([^"]*)"/.test(open)
    ? open.replace(
        /style="([^"]*)"/,
        (_, style) => `style="${style.replace(/;?\s*$/, ';')} --diagram-min-width: ${min}px;"`,
      )
    : open.replace(/^<svg\b/, `<svg style="--diagram-min-width: ${min}px;"`);
  return styled + svg.slice(open.length);
}

/** The same for the SVGs rehype-mermaid put into the articles' figures. */
function rehypeReadableDiagrams() {
  const textOf = (node) =>
    node.type === 'text'
      ? node.value
      : `${typeof node.properties?.style === 'string' ? node.properties.style : ''} ${
          node.properties?.fontSize ? `font-size="${node.properties.fontSize}px"` : ''
        } ${(node.children ?? []).map(textOf).join(' ')}`;
  const walk = (node) => {
    if (isElement(node, 'svg') && typeof node.properties?.viewBox === 'string') {
      const min = readableMinWidth(node.properties.viewBox, textOf(node));
      if (min !== undefined) {
        const style = typeof node.properties.style === 'string' ? node.properties.style.replace(/;?\s*$/, '; ') : '';
        node.properties.style = `${style}--diagram-min-width: ${min}px;`;
      }
      return;
    }
    for (const child of node.children ?? []) walk(child);
  };
  return (tree) => walk(tree);
}

/** Replaces each mermaid block by its source figure (builds without a browser). */
function rehypeDiagramSources() {
  return (tree) => {
    for (const { parent, index, code } of mermaidBlocks(tree)) {
      parent.children[index] = sourceFigure(text(code).trimEnd());
    }
  };
}

/**
 * The rehype plugins for ```mermaid blocks in articles.
 * @returns {Promise<import('@astrojs/markdown-remark').RehypePlugins>}
 */
export async function mermaidRehypePlugins() {
  const executablePath = await diagramBrowser();
  if (!executablePath) return [rehypeDiagramSources];
  return [
    rehypeDiagramFigures,
    [
      rehypeMermaid,
      {
        strategy: 'inline-svg',
        prefix: 'concept',
        mermaidConfig: MERMAID_CONFIG,
        launchOptions: { executablePath, args: CHROMIUM_ARGS },
      },
    ],
    rehypeReadableDiagrams,
  ];
}

let renderer;

// Resolved from the project root: this module also runs from Astro's build output folder.
const MERMAID_VERSION = createRequire(join(process.cwd(), 'package.json'))('mermaid/package.json').version;
const CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'trunklab-diagrams');

/**
 * Drawing a diagram starts a browser (a second or two), so drawn diagrams are
 * kept by the hash of everything that shapes them: source, id prefix, mermaid
 * version and settings. A changed diagram is drawn again.
 */
function cacheFile(source, prefix) {
  const key = createHash('sha256')
    .update(JSON.stringify([MERMAID_VERSION, MERMAID_CONFIG, prefix, source]))
    .digest('hex');
  return join(CACHE_DIR, `${key}.svg`);
}

/**
 * Renders one mermaid source to an SVG string whose ids start with `prefix`.
 * Undefined when the build has no browser; a diagram mermaid cannot parse
 * throws (a defect in the source, which must fail the build).
 */
export async function renderMermaid(source, prefix) {
  const executablePath = await diagramBrowser();
  if (!executablePath) return undefined;
  const cached = cacheFile(source, prefix);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  renderer ??= createMermaidRenderer({ launchOptions: { executablePath, args: CHROMIUM_ARGS } });
  const [result] = await renderer([source], { prefix, mermaidConfig: MERMAID_CONFIG });
  if (result.status === 'rejected') {
    throw new Error(`mermaid could not draw diagram ${prefix}: ${result.reason}\n${source}`);
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cached, result.value.svg);
  return result.value.svg;
}
