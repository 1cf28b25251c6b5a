/**
 * What a page says before any script runs: the text of the HTML the server
 * sends (fetched, never read from a browser's DOM), for the tests that prove
 * a live figure's step is drawn at build time.
 */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];

/** Elements whose text is not shown. */
const UNSEEN = new Set(['script', 'style', 'template']);

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  if ('tagName' in node && UNSEEN.has(node.tagName)) return '';
  if (!('childNodes' in node)) return '';
  return node.childNodes.map(textOf).join(' ');
}

/** The shown text of an HTML fragment, its white space folded. */
export function servedText(html: string): string {
  return parseFragment(html).childNodes.map(textOf).join(' ').replace(/\s+/g, ' ').trim();
}

/** Each `<figure class="kb-live-step" …>…</figure>` of an article's HTML, as sent. */
export function liveFigures(html: string): string[] {
  return html.match(/<figure class="kb-live-step[^"]*"[^>]*data-live-step[\s\S]*?<\/figure>/g) ?? [];
}

/** An attribute of a fragment's first element that has it. */
export function servedAttribute(html: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(html);
  return m
    ? m[1]
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&amp;/g, '&')
    : undefined;
}
