#!/usr/bin/env node
// `npm run build:cli` (and `prepare`, so `npm install` runs it): bundles the
// `trunklab` command from its TypeScript into plain JavaScript in build/cli/,
// with source maps, for bin/trunklab.js to run without compiling anything at
// start. Every dependency is bundled in: build/cli/ is a package of its own
// with no dependencies (`npm pack ./build/cli` makes a tarball a support
// engineer installs with `npm install -g`). The engine's heavy parts are
// separate chunks that a command loads when it runs. Help, a command's usage
// and an unknown command are answered from build/cli/answers.cjs, one small
// CommonJS file with the command table written into it, before Node loads any
// ES module (sim/cli/usage.ts).
//
// Also writes build/cli/sources.json: the project files the build read (and
// those the answers were made from) and when, which bin/trunklab.js checks to
// tell whether the build is current.
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
/** What every bundle of the command shares: Node 20, linked source maps without the sources, a record of inputs. */
const forNode = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  // The ES module builds of the ASN.1 and X.509 libraries: Node compiles and links them faster than CommonJS
  // wrapped for an ES module bundle.
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};
const result = await esbuild.build({
  ...forNode,
  entryPoints: { trunklab: 'bin/trunklab-process.mts' },
  outdir: staging,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies call require() for Node built-ins; an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __trunklabRequire } from 'node:module'; const require = __trunklabRequire(import.meta.url);",
  },
});

// `trunklab analyze` again, as one CommonJS file with everything it runs (bin/analyze-process.mts): Node reads
// and compiles it in one go, where the same code as ES module chunks cost tens of milliseconds more to resolve,
// read, compile and link at every start. bin/trunklab.js and bin.cjs require it for `trunklab analyze`.
const analyze = await esbuild.build({
  ...forNode,
  entryPoints: ['bin/analyze-process.mts'],
  outfile: `${staging}/analyze.cjs`,
  format: 'cjs',
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

// The answers that need no command (help, a command's usage, an unknown command) as one small CommonJS file with
// the command table written into it, which bin/trunklab.js requires before any ES module: see sim/cli/usage.ts.
const { COMMANDS } = await import(`${staging}/trunklab.js`);
const table = COMMANDS.map(({ name, synopsis, description }) => ({ name, synopsis, description }));
const answers = await esbuild.build({
  absWorkingDir: root,
  stdin: {
    contents: [
      "import { answerWithoutRunning as answer } from './sim/cli/usage';",
      `const COMMANDS = ${JSON.stringify(table)};`,
      'export const answerWithoutRunning = (argv) => answer(argv, COMMANDS);',
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'build/cli/answers.cjs',
    loader: 'ts',
  },
  outfile: `${staging}/answers.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
});

const sources = [
  ...Object.keys(result.metafile.inputs),
  ...Object.keys(analyze.metafile.inputs),
  ...Object.keys(answers.metafile.inputs),
]
  .filter(
    (path, i, all) => !path.startsWith('node_modules/') && path !== 'build/cli/answers.cjs' && all.indexOf(path) === i,
  )
  .sort();
// What the answers were made from: the command table (the entry chunk and what it imports statically) and
// sim/cli/usage.ts. bin/trunklab.js checks only these before answering help, and the rest before running a command.
const tableChunks = new Set();
const visit = (output) => {
  if (tableChunks.has(output)) return;
  tableChunks.add(output);
  for (const i of result.metafile.outputs[output].imports)
    if (i.kind === 'import-statement' && !i.external) visit(i.path);
};
visit(`build/cli.${process.pid}/trunklab.js`);
const answerSources = [
  ...new Set([
    ...[...tableChunks].flatMap((output) => Object.keys(result.metafile.outputs[output].inputs)),
    ...Object.keys(answers.metafile.inputs),
  ]),
]
  .filter((path) => sources.includes(path))
  .sort();
writeFileSync(`${staging}/sources.json`, JSON.stringify({ builtAt, answerSources, sources }) + '\n');
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
// The package's own command: CommonJS, like bin/trunklab.js, so help and usage errors never load an ES module.
writeFileSync(
  `${staging}/bin.cjs`,
  [
    '#!/usr/bin/env node',
    "'use strict';",
    'const argv = process.argv.slice(2);',
    "const answer = require('./answers.cjs').answerWithoutRunning(argv);",
    'if (answer === undefined) {',
    '  process.setSourceMapsEnabled(true);',
    "  if (argv[0] === 'analyze') void require('./analyze.cjs').runTrunklab(argv);",
    "  else void import('./trunklab.js').then((entry) => entry.runTrunklab(argv));",
    '} else {',
    '  if (answer.stdout) process.stdout.write(answer.stdout);',
    '  if (answer.stderr) process.stderr.write(answer.stderr);',
    '  process.exitCode = answer.status;',
    '}',
    '',
  ].join('\n'),
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
      bin: { trunklab: 'bin.cjs' },
      files: ['bin.cjs', 'answers.cjs', 'trunklab.js', 'trunklab.js.map', 'analyze.cjs', 'analyze.cjs.map', 'chunks/'],
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
