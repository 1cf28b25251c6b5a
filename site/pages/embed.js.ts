/// <reference types="vite/client" />
/**
 * `/embed.js`: the loader help centres include (site/components/embed/loader.js),
 * served as one classic script with this build's settings: the scenarios it
 * can embed and the steps drawn on pages of their own, the frame's name,
 * sandbox and first height, the resize message.
 * The loader's own text is served as written, so it reads as it is reviewed.
 */
import type { APIRoute } from 'astro';
import { listScenarios } from '../../sim/index';
import { withBase } from '../lib/base-path';
import { FRAME_ALLOW, FRAME_HEIGHTS, FRAME_SANDBOX, RESIZE_MESSAGE } from '../components/embed/embed-markup';
import { prerenderedStepsByScenario } from '../components/embed/drawn-frames';
import loaderSource from '../components/embed/loader.js?raw';
import { UI } from '../lib/ui-text';

/** Heights the loader will set, whatever a frame reports: never zero, never absurd. */
const MIN_HEIGHT = 120;
const MAX_HEIGHT = 20_000;

export const GET: APIRoute = async ({ site, url }) => {
  const settings = {
    root: new URL(withBase('/'), site ?? url).href,
    scenarios: Object.fromEntries(listScenarios().map((s) => [s.id, s.title])),
    drawn: await prerenderedStepsByScenario(),
    frameTitle: UI.embed.frameTitle('{title}', '{step}'),
    untitled: UI.labName,
    resizeMessage: RESIZE_MESSAGE,
    sandbox: FRAME_SANDBOX,
    allow: FRAME_ALLOW,
    heights: FRAME_HEIGHTS,
    minHeight: MIN_HEIGHT,
    maxHeight: MAX_HEIGHT,
  };
  const body = [
    `/*! ${UI.labName}: embed loader. Turns <div data-trunklab-scenario="ID" data-step="N"> into a sized frame. */`,
    '(function () {',
    "'use strict';",
    // The type-checking pragma is for the editor, not for the help centre.
    loaderSource.replace(/^\/\/ @ts-check\n/, '').trim(),
    // Lists of step numbers on one line each: a reviewer reads the settings, not hundreds of lines of numbers.
    `startTrunklabEmbeds(${JSON.stringify(settings, null, 2).replace(/\[\s+([\d,\s]+?)\s+\]/g, (_, numbers: string) => `[${numbers.replace(/\s+/g, ' ')}]`)});`,
    '})();',
    '',
  ].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
};
