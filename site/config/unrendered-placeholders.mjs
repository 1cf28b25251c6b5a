// @ts-check
/**
 * A check over the built site: no page may show a reader a placeholder that
 * was never filled in, such as `{files.chain}` or `${carrier.domain}`, which
 * is what an expression written inside Markdown's backticks, or a template
 * string that was never evaluated, looks like once built. The build fails
 * and names each page and placeholder.
 *
 * Only what a reader sees is read: text in the page, not scripts, styles or
 * the JSON data figures carry. Code samples are read too; a sample that
 * needs `${…}` itself (a shell or JavaScript template) must be written
 * another way, so that a real placeholder can never hide among them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'parse5';

/** `{files.root}`, `{carrier.domain}`: an expression in braces, as MDX writes one. */
const BRACED = /\{[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\}/g;
/** `${carrier.domain}`, `${anything}`: a template literal's placeholder. */
const TEMPLATE = /\$\{[^}\n]{0,80}\}/g;

/** Elements whose text is not shown. */
const UNSEEN = new Set(['script', 'style', 'template', 'noscript']);

/** Elements that break text into separate blocks; anything else (a highlighted token, a link) runs on. */
const BLOCKS = new Set(
  'address article aside blockquote br dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul'.split(
    ' ',
  ),
);

/**
 * The placeholders in a page's visible text, each with a little of the text around it.
 * Text is read as a reader reads it, across the many elements a highlighted code sample is made of.
 * @param {string} html
 * @returns {string[]}
 */
export function unrenderedPlaceholders(html) {
  /** @type {string[]} */
  const parts = [];
  /** @param {any} node */
  const walk = (node) => {
    if (node.nodeName === '#text') {
      parts.push(node.value);
      return;
    }
    if (UNSEEN.has(node.nodeName)) return;
    const block = BLOCKS.has(node.nodeName);
    if (block) parts.push('\n');
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
    if (block) parts.push('\n');
  };
  walk(parse(html));
  const text = parts.join('');
  /** @type {string[]} */
  const found = [];
  for (const pattern of [TEMPLATE, BRACED]) {
    for (const m of text.matchAll(pattern)) {
      // `${a.b}` also holds `{a.b}`: say it once.
      if (pattern === BRACED && text[m.index - 1] === '$') continue;
      const around = text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30).replace(/\s+/g, ' ');
      found.push(`${m[0]} in "…${around.trim()}…"`);
    }
  }
  return found;
}

/** @param {string} dir @returns {string[]} */
function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * Every page of a built site with the placeholders it shows.
 * @param {string} root
 */
export function placeholdersInSite(root) {
  return htmlFiles(root)
    .map((file) => ({
      page: file.slice(root.length),
      placeholders: unrenderedPlaceholders(readFileSync(file, 'utf8')),
    }))
    .filter((p) => p.placeholders.length > 0);
}

/** The Astro integration: the build fails if any page shows a placeholder. */
export function noUnrenderedPlaceholders() {
  return {
    name: 'trunklab:no-unrendered-placeholders',
    hooks: {
      /** @param {{ dir: URL, logger: { info: (m: string) => void } }} options */
      'astro:build:done': ({ dir, logger }) => {
        const pages = placeholdersInSite(fileURLToPath(dir));
        if (pages.length > 0) {
          const lines = pages.flatMap((p) => p.placeholders.map((x) => `  ${p.page}: ${x}`));
          throw new Error(`Pages show placeholders that were never filled in:\n${lines.join('\n')}`);
        }
        logger.info('No page shows an unfilled placeholder.');
      },
    },
  };
}
