/**
 * The oEmbed answer for a scenario (oEmbed 1.0 §2.3.4 and §2.3.4.4): a
 * `rich` response whose `html` is the plain iframe form of the embed, with
 * the frame's width and height, as tools such as content editors expect to
 * paste it. It is a static file per scenario, so it is built once and any
 * web server can serve it.
 */
import type { ScenarioInfo } from '../../../sim/index';
import { withBase } from '../../lib/base-path';
import { UI } from '../../lib/ui-text';
import { FRAME_HEIGHT, FRAME_WIDTH, iframeSnippet } from './embed-markup';

/** How long a consumer may keep an answer, in seconds (§2.3.4 `cache_age`). */
const CACHE_AGE = 24 * 60 * 60;

export interface OembedRich {
  version: '1.0';
  type: 'rich';
  title: string;
  provider_name: string;
  provider_url: string;
  cache_age: number;
  html: string;
  width: number;
  height: number;
}

export function oembedPath(scenario: string): string {
  return withBase(`/embed/${encodeURIComponent(scenario)}/oembed.json`);
}

export function oembedFor(scenario: ScenarioInfo, origin: string): OembedRich {
  return {
    version: '1.0',
    type: 'rich',
    title: scenario.title,
    provider_name: UI.labName,
    provider_url: new URL(withBase('/'), origin).href,
    cache_age: CACHE_AGE,
    html: iframeSnippet(origin, { scenario: scenario.id }, UI.embed.frameTitle(scenario.title, '1')),
    width: FRAME_WIDTH,
    height: FRAME_HEIGHT,
  };
}
