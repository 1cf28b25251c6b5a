/**
 * The path the site is served under (`/`, or `/help/trunk-lab/` when a
 * carrier hosts it there; see site/config/site-address.mjs), and the one way
 * the site writes a link to one of its own pages: `withBase('/docs/…')`.
 * Links in articles' Markdown get the same prefix when the site is built
 * (site/config/base-links.mjs); the engine's own links (a step's article)
 * are site-relative and pass through here before they are shown.
 */
import { prefixSitePath } from '../config/base-links.mjs';

/** The configured base path, with a trailing slash. */
export const BASE_PATH: string = `${(import.meta.env?.BASE_URL ?? '/').replace(/\/+$/, '')}/`;

/** `/docs/x/` → `/help/trunk-lab/docs/x/`; addresses that are not site-relative are left alone. */
export function withBase(path: string, base: string = BASE_PATH): string {
  return prefixSitePath(path, base);
}
