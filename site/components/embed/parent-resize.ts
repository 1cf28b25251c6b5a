/**
 * The embed's side of sizing: tell the page that frames it how tall the
 * embed is, once it shows and whenever that changes, as
 * `{ type: 'trunklab:resize', height }` (HTML §9.3.3 `postMessage`).
 *
 * The message goes to any origin (`'*'`): the embed cannot know who frames it
 * and a height is not a secret. The receiving side decides whom to believe;
 * the loader (`embed.js`) takes it only from this origin and only from the
 * frame it made.
 *
 * The height measured is the document's own (the root element's box), not
 * the frame's viewport, so a frame made taller never reports itself taller.
 *
 * A ResizeObserver alone is not enough: a browser need not render a frame
 * that is out of view (Chromium throttles off-screen cross-origin frames),
 * and its resize observations wait until it is scrolled to. Changes to the
 * document are also a cue to measure, since mutation records are delivered
 * either way; so a frame further down an article has its height before the
 * reader reaches it, and the article does not jump then.
 */
import { RESIZE_MESSAGE } from './embed-markup';

export interface ResizeMessage {
  type: typeof RESIZE_MESSAGE;
  height: number;
}

/** Starts reporting; returns the function that stops. Does nothing outside a frame. */
export function reportHeightToParent(): () => void {
  if (window.parent === window) return () => {};
  const root = document.documentElement;
  let last = -1;
  const report = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    const message: ResizeMessage = { type: RESIZE_MESSAGE, height };
    window.parent.postMessage(message, '*');
  };
  const resizes = new ResizeObserver(report);
  resizes.observe(root);
  const mutations = new MutationObserver(report);
  mutations.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  window.addEventListener('load', report);
  report();
  return () => {
    resizes.disconnect();
    mutations.disconnect();
    window.removeEventListener('load', report);
  };
}
