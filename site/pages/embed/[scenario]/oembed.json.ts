/**
 * `/embed/SCENARIO/oembed.json`: the static oEmbed answer for each scenario
 * (site/components/embed/oembed.ts), found through the discovery link on the
 * lab and on the embed pages.
 */
import type { APIRoute } from 'astro';
import { listScenarios, type ScenarioInfo } from '../../../../sim/index';
import { oembedFor } from '../../../components/embed/oembed';

export function getStaticPaths() {
  return listScenarios().map((info) => ({ params: { scenario: info.id }, props: { info } }));
}

export const GET: APIRoute = ({ props, site, url }) => {
  const { info } = props as { info: ScenarioInfo };
  const body = JSON.stringify(oembedFor(info, (site ?? url).origin), null, 2);
  return new Response(`${body}\n`, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
