// @ts-check
/**
 * The `client:interaction` directive (site/config/interaction-directive.mjs):
 * hydrates an island on the reader's first pointer over it, touch, focus or
 * key inside it.
 *
 * Until then the island is the build's drawing of itself. Whatever the reader
 * did to that drawing while the island's script was still on its way is not
 * lost: the control that had focus gets it back in the live view, and a
 * button or radio clicked is clicked again there (the live view has the same
 * controls in the same order, since it is the same component). Links need
 * nothing: they work without script.
 */

/** What wakes the island. */
const WAKE = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown'];
/** The controls matched between the drawing and the live view, in document order. */
const CONTROLS = 'a[href], button, input, select, textarea, [tabindex]';

/** @type {import('astro').ClientDirective} */
export default (load, _options, el) => {
  const controls = () => [...el.querySelectorAll(CONTROLS)];
  // While the drawing is shown: the control last focused in it, and the last button or radio clicked.
  let drawing = true;
  let focused = -1;
  let clicked = -1;
  /** @param {Event} event */
  const remember = (event) => {
    if (!drawing || !(event.target instanceof Element)) return;
    if (event.type === 'focusin') focused = controls().indexOf(event.target);
    else {
      const control = event.target.closest('button, input');
      if (control && el.contains(control)) clicked = controls().indexOf(control);
    }
  };
  el.addEventListener('focusin', remember);
  el.addEventListener('click', remember, true);

  let woken = false;
  const wake = async () => {
    if (woken) return;
    woken = true;
    for (const type of WAKE) el.removeEventListener(type, wake);
    const hydrate = await load();
    await hydrate();
    // The island draws its live view on mount: it is in place two frames later at the latest.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    drawing = false;
    el.removeEventListener('focusin', remember);
    el.removeEventListener('click', remember, true);
    const live = controls();
    const active = document.activeElement;
    // Focus was in the drawing, which is gone: it goes to the same control in the live view.
    if (focused >= 0 && (!active || active === document.body || !active.isConnected)) {
      /** @type {HTMLElement | undefined} */ (live[focused])?.focus();
    }
    if (clicked >= 0) /** @type {HTMLElement | undefined} */ (live[clicked])?.click();
  };
  for (const type of WAKE) el.addEventListener(type, wake, { passive: true });
};
