// @ts-check
/**
 * The site's Content-Security-Policy (CSP Level 3, W3C), written into every
 * built page as `<meta http-equiv="Content-Security-Policy">` once the build
 * is done, with the SHA-256 of each inline script the page holds.
 *
 * What the policy says, for every page:
 * - everything comes from this origin (`default-src 'self'`): no font, image,
 *   script, worker, fetch or frame from anywhere else;
 * - scripts: this origin's files, plus exactly the inline scripts the build
 *   made, by hash (CSP3 §8.4 "hash-source"); no `'unsafe-inline'`, no
 *   `'unsafe-eval'`. Pages with the knowledge base's search also get
 *   `'wasm-unsafe-eval'`, because Pagefind runs its index in WebAssembly;
 * - no plugins (`object-src 'none'`), no `<base>` pointing elsewhere, forms
 *   post only here;
 * - styles: this origin's files and inline styles. Starlight and the Svelte
 *   islands set `style` attributes (sidebar depth, icon sizes, ladder lanes)
 *   and the build-time diagrams carry `<style>` in their SVG; CSS cannot run
 *   script, and a hash list cannot cover attributes.
 *
 * Why not Astro's own `experimental.csp` (astro 5.9+): it emits style hashes
 * too, and a `style-src` with hashes makes browsers drop every `style`
 * attribute, which Astro 5.18 cannot relax (it accepts no `style-src-attr`,
 * withastro/astro#16233); and it does not hash `is:inline` scripts
 * (Starlight's theme and sidebar scripts), whose hashes would have to be
 * copied into the config by hand and kept in step with every Starlight
 * release. Hashing what is actually in each built page cannot go stale.
 *
 * The build fails instead of shipping a page the policy would break or could
 * not protect: an inline event handler (`onclick="…"`) or a `javascript:`
 * URL (CSP3 cannot allow those by hash without `'unsafe-hashes'`), a script
 * from another origin, a page that already has a policy, or a page without a
 * `<head>` to put it in.
 *
 * A `<meta>` policy cannot say who may frame the page (CSP3 §6.4.2
 * `frame-ancestors` is ignored in `<meta>`); that belongs in the web server's
 * `Content-Security-Policy` header, as content/docs/docs/embedding.mdx shows.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'parse5';

/** Directives every page gets; `script-src` is added per page. */
export const BASE_DIRECTIVES = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

/** Starlight's search element: where it is, Pagefind compiles WebAssembly. */
const SEARCH_ELEMENT = 'site-search';

/** Attributes whose value is a URL the browser may navigate to or load. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data']);

/** Thrown when a page cannot be given a policy that both works and protects it. */
export class PolicyError extends Error {}

/**
 * `'sha256-…'`: CSP3 §8.4, the base64 SHA-256 of the script's text as UTF-8.
 * @param {string} text
 */
export function scriptHash(text) {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * @typedef {import('parse5').DefaultTreeAdapterMap['element']} Element
 * @typedef {import('parse5').DefaultTreeAdapterMap['childNode']} ChildNode
 * @typedef {import('parse5').DefaultTreeAdapterMap['parentNode']} ParentNode
 */

/** @param {ParentNode} node @param {(el: Element) => void} visit */
function walk(node, visit) {
  for (const child of node.childNodes ?? []) {
    if ('tagName' in child) {
      visit(child);
      walk('content' in child ? child.content : child, visit);
    }
  }
}

/** @param {Element} el @param {string} name */
const attribute = (el, name) => el.attrs.find((a) => a.name === name)?.value;

/** JavaScript's MIME types (WHATWG MIME Sniffing §4.6); `type` may also be empty or `module`. */
const SCRIPT_TYPES = new Set([
  '',
  'module',
  'text/javascript',
  'application/javascript',
  'application/ecmascript',
  'text/ecmascript',
  'application/x-javascript',
]);

/**
 * A `<script>` whose type is not JavaScript is a data block (HTML §4.12.1): the browser never runs
 * it, the policy has nothing to allow, so it needs no hash (a live figure's first frame, in JSON).
 * @param {Element} el
 */
const isDataBlock = (el) => {
  const type = attribute(el, 'type');
  return type !== undefined && !SCRIPT_TYPES.has(type.trim().toLowerCase().split(';')[0].trim());
};

/**
 * What the policy must allow on one page: the hashes of its inline scripts,
 * and whether it runs the search. Throws a PolicyError for what no policy
 * should allow.
 *
 * @param {string} html
 * @param {string} where the page, for messages
 */
export function inspectPage(html, where) {
  const document = parse(html, { sourceCodeLocationInfo: true });
  /** @type {Set<string>} */
  const hashes = new Set();
  /** @type {string[]} */
  const problems = [];
  let search = false;
  /** @type {Element | undefined} */
  let head;
  walk(document, (el) => {
    if (el.tagName === 'head') head ??= el;
    if (el.tagName === SEARCH_ELEMENT) search = true;
    for (const { name, value } of el.attrs) {
      if (/^on[a-z]+$/i.test(name)) problems.push(`<${el.tagName} ${name}="…"> is an inline event handler`);
      if (URL_ATTRIBUTES.has(name) && /^\s*javascript:/i.test(value)) {
        problems.push(`<${el.tagName} ${name}="${value.slice(0, 40)}"> runs script`);
      }
      if (el.tagName === 'meta' && name === 'http-equiv' && value.toLowerCase() === 'content-security-policy') {
        problems.push('the page already has a Content-Security-Policy <meta>');
      }
    }
    if (el.tagName !== 'script' || isDataBlock(el)) return;
    const src = attribute(el, 'src');
    if (src === undefined) {
      // A script is raw text: one text node, newlines already normalised as the browser does.
      const text = el.childNodes.map((n) => ('value' in n ? n.value : '')).join('');
      hashes.add(scriptHash(text));
    } else if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(src.trim())) {
      problems.push(`<script src="${src}"> loads script from another origin`);
    }
  });
  if (!head?.sourceCodeLocation?.startTag) problems.push('the page has no <head> start tag to put the policy in');
  if (problems.length > 0) throw new PolicyError(`${where}: ${problems.join('; ')}`);
  return { hashes: [...hashes], search, head: /** @type {Element} */ (head) };
}

/**
 * The policy for a page that needs `hashes` and maybe the search.
 * @param {{ hashes: string[], search: boolean }} page
 */
export function policyFor({ hashes, search }) {
  const scriptSources = ["'self'", ...hashes, ...(search ? ["'wasm-unsafe-eval'"] : [])];
  return [BASE_DIRECTIVES[0], `script-src ${scriptSources.join(' ')}`, ...BASE_DIRECTIVES.slice(1)].join('; ');
}

/**
 * The page with its policy: right after `<meta charset>` when that opens the
 * head (the charset must stay in the first 1024 bytes, WHATWG HTML §4.2.5.4),
 * else right after `<head>`, so that it governs every script and stylesheet
 * that follows.
 *
 * @param {string} html
 * @param {string} where
 */
export function withPolicy(html, where) {
  const page = inspectPage(html, where);
  const first = page.head.childNodes.find((n) => 'tagName' in n);
  const charsetFirst = first && first.tagName === 'meta' && attribute(first, 'charset') !== undefined;
  const at = charsetFirst
    ? /** @type {number} */ (first.sourceCodeLocation?.endOffset)
    : /** @type {number} */ (page.head.sourceCodeLocation?.startTag?.endOffset);
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policyFor(page)}">`;
  return { html: html.slice(0, at) + meta + html.slice(at), hashes: page.hashes.length };
}

/** @param {string} dir @returns {string[]} */
function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name));
}

/** The Astro integration: every page of the static build gets its policy. */
export function contentSecurityPolicy() {
  return {
    name: 'trunklab:content-security-policy',
    hooks: {
      /** @param {{ dir: URL, logger: { info: (m: string) => void } }} options */
      'astro:build:done': ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        let pages = 0;
        let scripts = 0;
        for (const file of htmlFiles(root)) {
          const out = withPolicy(readFileSync(file, 'utf8'), file.slice(root.length));
          writeFileSync(file, out.html);
          pages += 1;
          scripts += out.hashes;
        }
        logger.info(`Content-Security-Policy written into ${pages} pages (${scripts} inline scripts hashed).`);
      },
    },
  };
}
