// @ts-check
/**
 * Links written in the articles' Markdown as site paths (`[troubleshooting]
 * (/docs/troubleshooting/)`, `[the lab](/?scenario=…)`) given the base path
 * the site is built for (site/config/site-address.mjs), so the articles keep
 * their plain, readable links and still work when the site is served under
 * a path such as `/help/trunk-lab/`. A rehype plugin: it runs on the HTML
 * the Markdown becomes, before the page is written.
 */

/** Attributes that hold an address the browser follows or loads. */
const ADDRESSES = new Set(['href', 'src']);

/**
 * @param {string} value
 * @param {string} base `/` or `/a/path/`
 */
export function prefixSitePath(value, base) {
  const prefix = base.replace(/\/+$/, '');
  if (prefix === '' || !value.startsWith('/') || value.startsWith('//')) return value;
  return `${prefix}${value}`;
}

/**
 * The rehype plugin for a base path; with base `/` it changes nothing.
 * @param {{ base: string }} options
 */
export function rehypeBaseLinks({ base }) {
  /** @param {any} node */
  const visit = (node) => {
    if (node.type === 'element' && node.properties) {
      for (const name of ADDRESSES) {
        const value = node.properties[name];
        if (typeof value === 'string') node.properties[name] = prefixSitePath(value, base);
      }
    }
    // Elements written as JSX in MDX (`<a href="/docs/…">`) keep their attributes in a list.
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && Array.isArray(node.attributes)) {
      for (const attribute of node.attributes) {
        if (ADDRESSES.has(attribute.name) && typeof attribute.value === 'string') {
          attribute.value = prefixSitePath(attribute.value, base);
        }
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  /** @param {any} tree */
  return (tree) => visit(tree);
}
