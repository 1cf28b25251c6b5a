/**
 * How long the engine takes to compute a scenario, in Node and in Chromium.
 *
 * - secure-call with 5 s of audio each way (about 540 packets): the first run
 *   in a fresh process, which also issues the carrier's PKI (a dozen
 *   certificates, shared by every later run), then the median of later runs
 *   with other seeds; aim under 100 ms in Node;
 * - the time until the first step is available from the runner, which must
 *   not wait for the whole run (nor, in the first run, for the PKI: TCP's
 *   handshake needs no certificate);
 * - every scenario of the catalogue at its default length, in Node.
 *
 * In Chromium (the one scripts/tools.js finds) the same engine runs in a
 * page, bundled with esbuild straight from sim/ (no site build); the bench
 * checks that the browser's run has the same bytes as Node's (the run
 * fingerprint) before it reports a time.
 *
 * In Node the runs' CPU time is given beside the clock's (the machine's cores
 * are shared), and a table says where a secure call's time goes — TLS, SIP,
 * SRTP, annotation, the network, garbage collection — from V8's sampling
 * profiler over further runs (time-profile.ts).
 */
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../../scripts/tools.js';
import { listScenarios, runFingerprint, runScenario, streamScenario, type CarrierProfile } from '../../sim/index';
import carrier from '../../content/carrier.json';
import { medianMs, printTable } from './measure';
import { breakdownRows, profileCategories, type CategoryRule } from './time-profile';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const profile = carrier as CarrierProfile;
const AUDIO_MS = 5000;
const RUNS = 15;

interface Figures {
  /** Node only: the median CPU time of the timed runs (all the process's threads). */
  medianCpuMs?: number;
  firstRunMs: number;
  /** In the first run: the PKI is still being issued while TCP's handshake is shown. */
  firstRunFirstStepMs: number;
  medianMs: number;
  firstStepMs: number;
  steps: number;
  fingerprint: string;
}

async function inNode(): Promise<Figures> {
  const options = { seed: 1, carrier: profile, audioMs: AUDIO_MS };
  let start = performance.now();
  let firstRunFirstStepMs = 0;
  const first = await runScenario('secure-call', options, () => {
    firstRunFirstStepMs ||= performance.now() - start;
  });
  const firstRunMs = performance.now() - start;
  let seed = 100;
  const cpu: number[] = [];
  const median = await medianMs(async () => {
    const before = process.cpuUsage();
    await runScenario('secure-call', { ...options, seed: seed++ });
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }, RUNS);
  cpu.sort((a, b) => a - b);
  const firsts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    start = performance.now();
    const steps = streamScenario('secure-call', { ...options, seed: seed++ });
    await steps.next();
    firsts.push(performance.now() - start);
    await steps.return(undefined as never);
  }
  firsts.sort((a, b) => a - b);
  return {
    medianCpuMs: cpu[Math.floor(cpu.length / 2)],
    firstRunMs,
    firstRunFirstStepMs,
    medianMs: median,
    firstStepMs: firsts[Math.floor(firsts.length / 2)],
    steps: first.steps.length,
    fingerprint: runFingerprint(first),
  };
}

/** The engine as a browser page runs it: one script, the same sim/ and carrier profile. */
async function engineBundle(): Promise<string> {
  const entry = `
    import 'reflect-metadata';
    import { runScenario, streamScenario, runFingerprint } from './sim/index.ts';
    import carrier from './content/carrier.json';
    globalThis.trunklabBench = async ({ runs, audioMs }) => {
      const options = { seed: 1, carrier, audioMs };
      let start = performance.now();
      let firstRunFirstStepMs = 0;
      const first = await runScenario('secure-call', options, () => {
        firstRunFirstStepMs ||= performance.now() - start;
      });
      const firstRunMs = performance.now() - start;
      let seed = 100;
      const times = [];
      for (let i = 0; i < runs; i++) {
        start = performance.now();
        await runScenario('secure-call', { ...options, seed: seed++ });
        times.push(performance.now() - start);
      }
      const firsts = [];
      for (let i = 0; i < runs; i++) {
        start = performance.now();
        const steps = streamScenario('secure-call', { ...options, seed: seed++ });
        await steps.next();
        firsts.push(performance.now() - start);
        await steps.return(undefined);
      }
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      return {
        firstRunMs,
        firstRunFirstStepMs,
        medianMs: median(times),
        firstStepMs: median(firsts),
        steps: first.steps.length,
        fingerprint: runFingerprint(first),
      };
    };`;
  const out = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

async function inChromium(): Promise<Figures | string> {
  const executablePath = await findChromium();
  if (!executablePath) return 'no Chromium found (see scripts/tools.js)';
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // WebCrypto needs a secure context: a page served from 127.0.0.1 is one, about:blank is not.
  const script = await engineBundle();
  const server = createServer((request, response) => {
    const js = request.url === '/engine.js';
    response.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    response.end(js ? script : '<!doctype html><title>engine bench</title><script src="/engine.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    return await page.evaluate(
      (args) => (globalThis as unknown as { trunklabBench: (a: typeof args) => Promise<Figures> }).trunklabBench(args),
      { runs: RUNS, audioMs: AUDIO_MS },
    );
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * The parts of a run, by the engine's folders: a sample counts for the
 * innermost of them on its stack, so AES inside SRTP counts as SRTP, and the
 * field tree written while sealing a TLS record counts as annotation.
 */
const SECURE_CALL_PARTS: CategoryRule[] = [
  { category: 'TLS (handshake, records)', url: '/sim/tls/' },
  { category: 'certificates (path validation)', url: '/sim/pki/' },
  { category: 'SIP (messages, SDP, digest)', url: '/sim/sip/' },
  { category: 'SRTP and RTP', url: '/sim/rtp/' },
  { category: 'annotation (field trees, hex)', url: '/sim/wire/' },
  { category: 'network (IP, TCP, UDP, tap)', url: '/sim/net/' },
  { category: 'timeline steps and explanations', url: '/sim/scenarios/timeline-steps.ts' },
  { category: 'timeline steps and explanations', url: '/sim/scenarios/step-ledger.ts' },
  { category: 'timeline steps and explanations', url: '/sim/scenarios/explanations.ts' },
  { category: 'scenario runner and parties', url: '/sim/' },
];

export default async function bench(): Promise<void> {
  const node = await inNode();
  const browser = await inChromium();
  console.log(`secure-call, ${AUDIO_MS / 1000} s of audio each way (${node.steps} packets); medians of ${RUNS} runs`);
  const row = (where: string, f: Figures) => ({
    where,
    'first run ms (PKI issued)': f.firstRunMs,
    'its first step ms': f.firstRunFirstStepMs,
    'median ms': f.medianMs,
    'its CPU ms': f.medianCpuMs ?? '',
    'first step ms': f.firstStepMs,
    'same bytes as Node': f.fingerprint === node.fingerprint ? 'yes' : 'NO',
  });
  const rows = [row('Node', node)];
  if (typeof browser === 'string') console.log(`Chromium: skipped, ${browser}`);
  else rows.push(row('Chromium', browser));
  printTable(rows);
  console.log(`aim: under 100 ms in Node; the first step long before the run ends`);

  let seed = 1000;
  const breakdown = await profileCategories(
    () => runScenario('secure-call', { seed: seed++, carrier: profile, audioMs: AUDIO_MS }),
    RUNS,
    SECURE_CALL_PARTS,
  );
  console.log(`\nWhere a secure call's time goes in Node (sampled over ${RUNS} more runs):`);
  printTable(breakdownRows(breakdown, RUNS));

  console.log('\nEvery scenario at its default length (Node, median of 5 runs):');
  const all = [];
  for (const { id } of listScenarios()) {
    const t = await runScenario(id, { seed: 1, carrier: profile });
    let seed = 1;
    const ms = await medianMs(() => runScenario(id, { seed: seed++, carrier: profile }), 5);
    all.push({ scenario: id, packets: t.steps.length, 'median ms': ms });
  }
  printTable(all);
}
