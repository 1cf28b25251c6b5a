#!/usr/bin/env node
// `node scripts/ensure-tools.js chromium openssl tshark`: exits 1 with a clear
// message if a program the tests need is missing.
import { ensureChromium, requireTool } from './tools.js';

try {
  for (const tool of process.argv.slice(2)) {
    if (tool === 'chromium') await ensureChromium();
    else requireTool(tool);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
