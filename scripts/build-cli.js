#!/usr/bin/env node
// `npm run build:cli` (and `prepare`, so `npm install` runs it): bundles the
// `trunklab` command from its TypeScript into plain JavaScript in build/cli/,
// with source maps, for bin/trunklab.js to run without compiling anything at
// start. Every dependency is bundled in: build/cli/ is a package of its own
// with no dependencies (`npm pack ./build/cli` makes a tarball a support
// engineer installs with `npm install -g`). The engine's heavy parts are
// separate chunks that a command loads when it runs, so `trunklab --help`
// reads only the command table.
//
// Also writes build/cli/sources.json: the project files the build read and
// when, which bin/trunklab.js checks to tell whether the build is current.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = `${root}build/cli`;
const staging = `${out}.${process.pid}`;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without dev dependencies: bin/trunklab.js runs the TypeScript through tsx instead.
  console.warn('build-cli: esbuild is not installed, so trunklab will compile its TypeScript at each start');
  process.exit(0);
}

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const builtAt = Date.now();
rmSync(staging, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { trunklab: 'bin/trunklab-process.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // The ES module builds of the ASN.1 and X.509 libraries: Node compiles and links them faster than CommonJS
  // wrapped for an ES module bundle.
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies call require() for Node built-ins; an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __trunklabRequire } from 'node:module'; const require = __trunklabRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// A chunk made only of dependencies keeps no source map: their frames are not ours to read, and at start
// Node would read and parse the map of the X.509 library (a third of a megabyte) for every certificate check.
for (const [path, output] of Object.entries(result.metafile.outputs)) {
  if (!path.endsWith('.js') || !Object.keys(output.inputs).every((input) => input.startsWith('node_modules/')))
    continue;
  const code = readFileSync(`${root}${path}`, 'utf8');
  writeFileSync(`${root}${path}`, code.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n'));
  rmSync(`${root}${path}.map`, { force: true });
}

const sources = Object.keys(result.metafile.inputs)
  .filter((path) => !path.startsWith('node_modules/'))
  .sort();
writeFileSync(`${staging}/sources.json`, JSON.stringify({ builtAt, sources }) + '\n');
// The metafile names outputs by where they were written; name them by where they end up.
const outputs = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([path, output]) => [
    path.replace(`build/cli.${process.pid}/`, 'build/cli/'),
    {
      ...output,
      imports: output.imports.map((i) => ({ ...i, path: i.path.replace(`build/cli.${process.pid}/`, 'build/cli/') })),
    },
  ]),
);
writeFileSync(`${staging}/meta.json`, JSON.stringify({ ...result.metafile, outputs }));
writeFileSync(
  `${staging}/bin.js`,
  "#!/usr/bin/env node\nconst { runTrunklab } = await import('./trunklab.js');\nawait runTrunklab();\n",
  { mode: 0o755 },
);
writeFileSync(
  `${staging}/package.json`,
  JSON.stringify(
    {
      name: 'trunklab',
      version: pkg.version,
      description:
        'The Secure Trunk Lab engine on the command line: TLS, certificates, SIP and SRTP checks for secure SIP trunks.',
      license: pkg.license,
      type: 'module',
      engines: pkg.engines,
      bin: { trunklab: 'bin.js' },
      files: ['bin.js', 'trunklab.js', 'trunklab.js.map', 'chunks/'],
    },
    null,
    2,
  ) + '\n',
);

// Swap the new build in whole, so a trunklab starting meanwhile sees the old build, the new one, or none (and falls back).
mkdirSync(`${root}build`, { recursive: true });
const old = `${out}.old.${process.pid}`;
try {
  renameSync(out, old);
} catch {
  // No earlier build.
}
renameSync(staging, out);
rmSync(old, { recursive: true, force: true });
