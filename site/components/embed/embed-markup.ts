/**
 * The markup that puts a live step on another site, written in one place so
 * the "copy embed snippet" button, the oEmbed answers and the authors'
 * article all give the same thing:
 *
 * - the loader form, `<div data-trunklab-scenario="ID" data-step="N">` and
 *   `<script async src="…/embed.js">`, which sizes the frame to its content;
 * - the plain form, an `<iframe>` of `/embed/ID/?step=N`, for editors that
 *   take no script (it keeps the height it is given).
 *
 * Values are escaped for an HTML attribute (WHATWG HTML §13.1.2.3) even
 * though scenario ids, step numbers, lenses and themes are plain words: the
 * snippet is pasted into pages we do not control.
 */
import type { Party } from '../../../sim/index';
import { withBase } from '../../lib/base-path';
import type { NamedField } from '../../lib/field-names';
import type { EmbedTheme } from './embed-request';

/** The message an embed posts to its parent when its height changes. */
export const RESIZE_MESSAGE = 'trunklab:resize';
/** Where the loader is served, on the lab's origin, under the site's base path. */
export const LOADER_PATH = withBase('/embed.js');
/** The frame's size for a plain iframe and oEmbed: the live figure's height at that width. */
export const FRAME_WIDTH = 720;
export const FRAME_HEIGHT = 600;
/**
 * The embed's height by the width of its frame, widest first: the live figure has a fixed height
 * for each of its layouts (ladder beside the packet; controls on one line; all stacked), so the
 * loader gives a new frame its final height at once and the help centre's page does not move when
 * the embed reports it. The widths allow for a scroll bar's gutter; tests/e2e/embed-steady.spec.ts
 * checks the heights against the embed's own.
 */
export const FRAME_HEIGHTS: ReadonlyArray<{ minWidth: number; height: number }> = [
  { minWidth: 705, height: FRAME_HEIGHT },
  { minWidth: 673, height: 895 },
  { minWidth: 0, height: 938 },
];
/**
 * What the frame may do: run its scripts and its engine worker on its own
 * origin, and open the full lab in a new tab; not navigate the host page,
 * submit forms or open dialogs there.
 */
export const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';
/** The inspector's "copy as hex" buttons need the clipboard inside the frame. */
export const FRAME_ALLOW = 'clipboard-write';

export interface EmbedTarget {
  scenario: string;
  /** Packets sent, from 1; unset means step 1. */
  step?: number;
  /** Unset means the PBX's view. */
  lens?: Party;
  /** The field to open, by name; unset means the packet's innermost layer. */
  field?: NamedField;
  /** Unset means the reader's own setting. */
  theme?: EmbedTheme;
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `/embed/secure-call/?step=5&lens=attacker`: the embed page for a target, under the base path. */
export function embedPath({ scenario, step, lens, field, theme }: EmbedTarget): string {
  const params = new URLSearchParams();
  if (step !== undefined) params.set('step', String(step));
  if (lens !== undefined && lens !== 'pbx') params.set('lens', lens);
  if (field !== undefined) params.set('field', field);
  if (theme !== undefined) params.set('theme', theme);
  const query = params.toString();
  return withBase(`/embed/${encodeURIComponent(scenario)}/${query ? `?${query}` : ''}`);
}

/** The loader form: a placeholder the loader turns into a sized frame, and the loader itself. */
export function loaderSnippet(origin: string, { scenario, step, lens, field, theme }: EmbedTarget): string {
  const attributes = [`data-trunklab-scenario="${escapeAttribute(scenario)}"`];
  if (step !== undefined) attributes.push(`data-step="${step}"`);
  if (lens !== undefined && lens !== 'pbx') attributes.push(`data-lens="${escapeAttribute(lens)}"`);
  if (field !== undefined) attributes.push(`data-field="${escapeAttribute(field)}"`);
  if (theme !== undefined) attributes.push(`data-theme="${escapeAttribute(theme)}"`);
  return [
    `<div ${attributes.join(' ')}></div>`,
    `<script async src="${escapeAttribute(new URL(LOADER_PATH, origin).href)}"></script>`,
  ].join('\n');
}

/** The plain form: an iframe of the embed page, at a fixed height. */
export function iframeSnippet(origin: string, target: EmbedTarget, title: string): string {
  const src = new URL(embedPath(target), origin).href;
  return (
    `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(title)}" ` +
    `width="${FRAME_WIDTH}" height="${FRAME_HEIGHT}" style="border: 0; max-width: 100%" loading="lazy" ` +
    `sandbox="${FRAME_SANDBOX}" allow="${FRAME_ALLOW}"></iframe>`
  );
}
