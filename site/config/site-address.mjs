// @ts-check
/**
 * Where the built site will be served: its origin and the path under it, so
 * that every absolute address the build writes (the embed snippets in the
 * articles, oEmbed answers, oEmbed discovery links, the loader's fallback)
 * names the real deployment and every link works under that path.
 *
 * Read from the environment variable TRUNKLAB_SITE_URL when it is set
 * (`https://help.example.com/help/trunk-lab/`), else from the carrier
 * profile's `site` (content/carrier.json). A value that is not an absolute
 * http(s) URL, or that carries a query or fragment, stops the build with a
 * message that says which setting is wrong and why.
 */

export const SITE_URL_VARIABLE = 'TRUNKLAB_SITE_URL';

/** Thrown for an address the site cannot be built for. */
export class SiteAddressError extends Error {}

/**
 * @param {string | undefined} fromEnvironment the variable's value
 * @param {string | undefined} fromProfile the carrier profile's `site`
 * @returns {{ site: string, base: string }} Astro's `site` (the origin) and `base` (`/` or `/a/path/`)
 */
export function siteAddress(fromEnvironment, fromProfile) {
  const [text, source] =
    fromEnvironment !== undefined && fromEnvironment.trim() !== ''
      ? [fromEnvironment.trim(), SITE_URL_VARIABLE]
      : [fromProfile ?? '', 'the carrier profile\'s "site" (content/carrier.json)'];
  /** @type {URL} */
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new SiteAddressError(`${source} is "${text}", which is not an absolute URL such as https://lab.example.com/`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SiteAddressError(`${source} is "${text}": the site is served over https: or http:, not ${url.protocol}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new SiteAddressError(`${source} is "${text}": give the address without a query, fragment or user name`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { site: url.origin, base: `${path}/` };
}
