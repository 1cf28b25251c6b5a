// Finds the outside programs the tests use (OpenSSL, tshark, a Chromium) and,
// when one is missing, stops with a message that says exactly how to get it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const HOW = {
  openssl:
    'install OpenSSL 3: on Debian or Ubuntu `sudo apt-get install -y openssl`; on macOS `brew install openssl@3`.',
  baresip:
    'install baresip (a SIP phone that plays the PBX against `trunklab sbc`): on Debian or Ubuntu `sudo apt-get install -y baresip-core`.',
  sox: 'install SoX (the tests compare our G.711 and audio with it): on Debian or Ubuntu `sudo apt-get install -y sox`; on macOS `brew install sox`.',
  tshark:
    'install tshark (Wireshark’s command-line tool): on Debian or Ubuntu `sudo DEBIAN_FRONTEND=noninteractive apt-get install -y tshark`; on macOS `brew install wireshark`.',
  dumpcap:
    'install dumpcap (Wireshark’s capture engine, which comes with tshark): on Debian or Ubuntu `sudo DEBIAN_FRONTEND=noninteractive apt-get install -y tshark`; on macOS `brew install wireshark`.',
  gcc: 'install a C compiler (the capture tests build a small libsrtp program): on Debian or Ubuntu `sudo apt-get install -y gcc`.',
  'pkg-config':
    'install pkg-config (it finds libsrtp for the capture tests): on Debian or Ubuntu `sudo apt-get install -y pkg-config`.',
  libsrtp2:
    'install libsrtp 2 and its headers (the reference SRTP the capture tests check against): on Debian or Ubuntu `sudo apt-get install -y libsrtp2-dev`; on macOS `brew install srtp`.',
};

/** The absolute path of a program on PATH, or undefined. */
export function which(program) {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function requireTool(program) {
  if (which(program)) return;
  throw new Error(`The tests need \`${program}\` and it is not installed: ${HOW[program]}`);
}

/** A C library the tests build against, found by pkg-config. */
export function requireLibrary(name) {
  if (spawnSync('pkg-config', ['--exists', name]).status === 0) return;
  throw new Error(`The tests need the \`${name}\` library and it is not installed: ${HOW[name]}`);
}

const CHROMIUM_FLAGS_HELP =
  'Set TRUNKLAB_CHROMIUM to a Chromium or Chrome binary, run `npx playwright install chromium` where the network allows, or on Debian `sudo apt-get install -y chromium-headless-shell` (or `chromium`).';

/**
 * A Chromium for Playwright, looked for in this order: the TRUNKLAB_CHROMIUM
 * environment variable, Playwright's own download, Debian's headless shell,
 * Debian's full Chromium. Returns undefined when none is found.
 *
 * Everything the project runs in a browser runs headless (the tests, the
 * benchmarks, the build's diagrams), and the headless shell — the browser
 * Playwright itself runs headless tests in — does the same pages for about
 * half the CPU of the full browser in its headless mode.
 */
export async function findChromium() {
  const fromEnv = process.env.TRUNKLAB_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TRUNKLAB_CHROMIUM is set to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  try {
    const { chromium } = await import('@playwright/test');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // Playwright not installed or no browser registry entry: fall through.
  }
  for (const path of ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Finds a Chromium, trying Playwright's own download once; throws with instructions otherwise. */
export async function ensureChromium() {
  const found = await findChromium();
  if (found) return found;
  console.error('No Chromium found; trying `npx playwright install chromium` ...');
  try {
    execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit', timeout: 300_000 });
  } catch {
    // No network for browser downloads: say how to get one.
  }
  const after = await findChromium();
  if (after) return after;
  throw new Error(`The browser tests need Chromium and none was found or could be downloaded. ${CHROMIUM_FLAGS_HELP}`);
}
