// @ts-check
/**
 * The embed loader, served as `/embed.js` (site/pages/embed.js.ts wraps this
 * file, unchanged and unminified so a help centre's reviewer can read it, in
 * a function with the build's settings).
 *
 * On the page that includes it, every
 *   <div data-trunklab-scenario="ID" data-step="N" data-lens="…" data-field="…" data-theme="…"></div>
 * gets one iframe of the lab's embed page for that step once it nears the
 * viewport (the lab's pages found beside this script, under whatever path the
 * lab is served from): `/embed/ID/N/?…` when the build drew step N on a page
 * of its own, which the frame shows as soon as it arrives, else
 * `/embed/ID/?step=N&…`, which computes it. The frame's
 * height then follows the `{ type: 'trunklab:resize', height }` messages
 * (HTML §9.3.3) the embed posts — believed only when they come from the
 * lab's origin and from a frame this loader made, and only as a number.
 *
 * It adds nothing else to the host page: no global name, no stylesheet, no
 * element outside the placeholders, no cookie or storage. Attribute values
 * are never put into HTML: they travel as URL parameters, and the embed
 * checks them and says what is wrong inside the frame. A scenario the build
 * does not know goes to `/embed/?scenario=…`, which says so.
 *
 * Placeholders that appear later (help centres that draw the article after
 * the page loads) are found as they are added. A page that includes the
 * loader twice still gets one frame per placeholder.
 *
 * @typedef {object} LoaderSettings
 * @property {string} root the lab's address at build time (origin and base path), used only if the script cannot find its own address
 * @property {Record<string, string>} scenarios title of each scenario id the build has
 * @property {Record<string, number[]>} drawn each scenario's steps (from 1) that have a page of their own, `/embed/ID/N/`
 * @property {string} frameTitle the frame's accessible name, with `{title}` and `{step}` to fill in
 * @property {string} untitled the frame's name when the scenario is not known
 * @property {string} resizeMessage the `type` of the embed's resize message
 * @property {string} sandbox the frame's `sandbox` tokens
 * @property {string} allow the frame's permissions policy
 * @property {Array<{ minWidth: number, height: number }>} heights the frame's height, by its width (widest first), until the embed reports its own
 * @property {number} minHeight the least height the loader sets
 * @property {number} maxHeight the most height the loader sets
 */

/**
 * Called by the served file (site/pages/embed.js.ts) with the build's settings.
 * @param {LoaderSettings} settings
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called from the text that wraps this file
function startTrunklabEmbeds(settings) {
  const PLACEHOLDER = '[data-trunklab-scenario]';
  const FRAME_MARK = 'data-trunklab-frame';
  const OPTIONS = [
    ['data-step', 'step'],
    ['data-lens', 'lens'],
    ['data-field', 'field'],
    ['data-theme', 'theme'],
  ];

  const script = document.currentScript;
  // The lab's root: the folder this script is served from (ROOT/embed.js), else the build's address.
  const root = new URL('./', script instanceof HTMLScriptElement && script.src ? script.src : settings.root);
  const origin = root.origin;
  /** Frames this copy of the loader made: the only ones whose messages it believes. */
  const made = new WeakSet();

  /** @param {Element} placeholder */
  function embed(placeholder) {
    if (placeholder.querySelector(`:scope > iframe[${FRAME_MARK}]`)) return;
    const id = placeholder.getAttribute('data-trunklab-scenario') ?? '';
    const known = Object.prototype.hasOwnProperty.call(settings.scenarios, id);
    const step = placeholder.getAttribute('data-step') ?? '1';
    // A step the build drew on a page of its own (the first is the scenario's page) goes there, when it
    // is to be shown as drawn: through the PBX's eyes, on its own field. Another lens or field would change
    // the drawing inside the frame once live, a shift the reader would see; that step is computed instead.
    const asDrawn =
      (placeholder.getAttribute('data-lens') ?? 'pbx') === 'pbx' && placeholder.getAttribute('data-field') === null;
    const drawn =
      asDrawn &&
      known &&
      /^\d{1,9}$/.test(step) &&
      Number(step) > 1 &&
      (settings.drawn[id] ?? []).includes(Number(step));
    const params = new URLSearchParams();
    if (!known) params.set('scenario', id);
    for (const [attribute, name] of OPTIONS) {
      const value = placeholder.getAttribute(attribute);
      if (value !== null && !(drawn && name === 'step')) params.set(name, value);
    }
    const page = drawn ? `embed/${encodeURIComponent(id)}/${Number(step)}/` : `embed/${encodeURIComponent(id)}/`;
    const url = new URL(known ? page : 'embed/', root);
    url.search = params.toString();

    const frame = document.createElement('iframe');
    frame.setAttribute(FRAME_MARK, '');
    frame.title = known
      ? settings.frameTitle
          .split('{title}')
          .join(settings.scenarios[id])
          .split('{step}')
          .join(/^\d{1,9}$/.test(step) ? step : '1')
      : settings.untitled;
    // A sandbox keeps the lab's frame from acting on a host page of another origin. On the lab's
    // own pages (the authors' article) it would protect nothing, and browsers warn about it.
    if (origin !== window.location.origin) frame.setAttribute('sandbox', settings.sandbox);
    frame.setAttribute('allow', settings.allow);
    // Not `loading="lazy"`: the frame is made only once its placeholder nears the viewport (below),
    // and the browser's own lazy loading would then hold its request back for another round of
    // layout and intersection, a wait the reader sees on a busy page.
    // Through the CSSOM, which a host page's own CSP allows where a style attribute may not be.
    frame.style.display = 'block';
    frame.style.width = '100%';
    frame.style.border = '0';
    // The figure's height for this width, so that the page does not move when the embed reports it.
    const width = placeholder.getBoundingClientRect().width;
    const first = settings.heights.find((h) => width >= h.minWidth) ?? settings.heights[settings.heights.length - 1];
    frame.style.height = `${first.height}px`;
    frame.src = url.href;
    made.add(frame);
    placeholder.replaceChildren(frame);
  }

  // A frame is made when its placeholder comes near the viewport, as the lab's own live steps
  // hydrate: the lab's engine is a few hundred kilobytes, and a reader who never scrolls that far
  // should not pay for it. (A browser's own lazy loading of frames starts thousands of pixels away.)
  const nearView =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              nearView?.unobserve(entry.target);
              embed(entry.target);
            }
          },
          { rootMargin: '400px 0px' },
        )
      : undefined;

  /** @param {Element} placeholder */
  function embedWhenNear(placeholder) {
    if (nearView) nearView.observe(placeholder);
    else embed(placeholder);
  }

  /** @param {ParentNode} root */
  function embedAll(root) {
    if (root instanceof Element && root.matches(PLACEHOLDER)) embedWhenNear(root);
    for (const placeholder of root.querySelectorAll(PLACEHOLDER)) embedWhenNear(placeholder);
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== origin) return;
    const data = event.data;
    if (typeof data !== 'object' || data === null || data.type !== settings.resizeMessage) return;
    const height = data.height;
    if (typeof height !== 'number' || !Number.isFinite(height)) return;
    for (const frame of document.querySelectorAll(`iframe[${FRAME_MARK}]`)) {
      if (made.has(frame) && /** @type {HTMLIFrameElement} */ (frame).contentWindow === event.source) {
        const clamped = Math.min(settings.maxHeight, Math.max(settings.minHeight, Math.ceil(height)));
        /** @type {HTMLIFrameElement} */ (frame).style.height = `${clamped}px`;
        return;
      }
    }
  });

  embedAll(document);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', () => embedAll(document), { once: true });
  }
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) embedAll(node);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}
