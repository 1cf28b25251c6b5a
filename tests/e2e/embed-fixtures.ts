/**
 * What the embed tests share: a help centre of our own making, served from a
 * second origin on 127.0.0.1 (and a third, `localhost` on the same port, for
 * a frame that should not be believed), and the step the engine itself
 * computes for a scenario, to compare what a frame shows against.
 */
import 'reflect-metadata';
import type { FrameLocator, Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listScenarios, runScenario, type CarrierProfile, type ScenarioInfo, type Timeline } from '../../sim/index';

export interface HostSite {
  /** `http://127.0.0.1:PORT`: the help centre. */
  origin: string;
  /** `http://localhost:PORT`: the same server under another origin. */
  otherOrigin: string;
  /** Serves `html` at `path` from now on. */
  page(path: string, html: string): void;
  close(): Promise<void>;
}

/** A static server for host pages, on an ephemeral port so parallel runs never clash. */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? '/', 'http://host').pathname);
    res.writeHead(html === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    page: (path, html) => void pages.set(path, html),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A help article around `body`, with a heading the tests check stays put. */
export function article(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Help centre</title></head>
<body><h1 id="host-heading">How your trunk is secured</h1>
${body}
<p id="host-footer">Was this article helpful?</p></body></html>`;
}

const carrier = JSON.parse(
  readFileSync(new URL('../../content/carrier.json', import.meta.url), 'utf8'),
) as CarrierProfile;

export interface EngineStep {
  scenario: ScenarioInfo;
  timeline: Timeline;
  /** `PROTOCOL summary`: the inspector's heading for the step. */
  heading(step: number): string;
}

/** The first scenario of the catalogue, run by the engine with the seed embeds use (1). */
export async function firstScenario(): Promise<EngineStep> {
  const scenario = listScenarios()[0];
  if (!scenario) throw new Error('the scenario catalogue is empty');
  const timeline = await runScenario(scenario.id, { seed: 1, carrier });
  return {
    scenario,
    timeline,
    heading: (step) => {
      const s = timeline.steps[step - 1];
      return `${s.protocol} ${s.summary}`;
    },
  };
}

/** The live figure an embed shows (site/components/figure), in a frame or an embed page. */
export function figureIn(where: Page | FrameLocator): Locator {
  return where.getByRole('region', { name: /^Live step: / });
}

/** The name of the packet an embed shows: its heading. */
export function stepHeading(where: Page | FrameLocator): Locator {
  return figureIn(where).getByRole('heading', { level: 2 });
}

/** The ladder row of the step an embed shows; its accessible name starts with the step's number. */
export function currentRow(where: Page | FrameLocator): Locator {
  return figureIn(where).getByRole('list', { name: 'Packet ladder' }).locator('[aria-current="step"]');
}

/** Escapes text for an HTML attribute in a host page. */
export function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
