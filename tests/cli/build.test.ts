/**
 * The `trunklab` command as scripts/build-cli.js builds it (tests/global-setup.ts
 * builds it before the run): plain JavaScript that starts without compiling
 * anything and without the engine until a command needs it, whose stack
 * traces name the TypeScript, and which runs on its own, outside the project.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildInteropPki } from '../tls/openssl-pki';
import { trunklab, trunklabProcess } from './trunklab';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = join(ROOT, 'build/cli/');

/** Command lines that need no command run: the list, a command's usage, an unknown command. */
const ANSWERED_WITHOUT_RUNNING = [
  [],
  ['--help'],
  ['-h'],
  ['help'],
  ['frobnicate'],
  ['cert-check', '--help'],
  ['ca', 'sign', '-h'],
];

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }>;
}

describe('the built trunklab command', () => {
  it('starts with the command table only: the engine is loaded when a command runs', () => {
    const meta = JSON.parse(readFileSync(join(BUILD, 'meta.json'), 'utf8')) as Metafile;
    const loaded = new Set<string>();
    const visit = (output: string) => {
      if (loaded.has(output)) return;
      loaded.add(output);
      for (const i of meta.outputs[output].imports)
        if (i.kind === 'import-statement' && meta.outputs[i.path]) visit(i.path);
    };
    visit('build/cli/trunklab.js');
    const inputs = [...loaded].flatMap((o) => Object.keys(meta.outputs[o].inputs));
    const engine = inputs.filter((path) => /^sim\/(?!cli\/|wire\/)|^node_modules\/@(peculiar|noble)\//.test(path));
    // A command that imports the engine at the top of its module makes every `trunklab` start load it:
    // import it inside run() with `await import(...)`, as the other commands do.
    expect(engine).toEqual([]);
    expect(inputs).toContain('sim/cli/main.ts');
  });

  it('answers help, usage and an unknown command from the build exactly as main() does', async () => {
    for (const argv of ANSWERED_WITHOUT_RUNNING) {
      const fromBuild = trunklabProcess(argv);
      const fromMain = await trunklab(argv);
      expect(fromBuild, argv.join(' ')).toEqual(fromMain);
      expect(fromBuild.stdout + fromBuild.stderr).not.toBe('');
    }
  });

  it('answers them without Node’s ES module loader, and loads it to run a command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trunklab-loader-'));
    try {
      // Preloaded: writes down, as the process exits, whether Node's ES module loader was ever loaded.
      writeFileSync(
        join(dir, 'record.cjs'),
        "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD, String(" +
          "process.moduleLoadList.includes('NativeModule internal/modules/esm/loader'))));",
      );
      const loaderLoaded = (argv: string[]) => {
        const record = join(dir, `${argv.join('_') || 'none'}.txt`);
        spawnSync(process.execPath, ['--require', join(dir, 'record.cjs'), join(ROOT, 'bin/trunklab.js'), ...argv], {
          env: { ...process.env, RECORD: record },
          timeout: 120_000,
        });
        return readFileSync(record, 'utf8');
      };
      for (const argv of ANSWERED_WITHOUT_RUNNING) expect(loaderLoaded(argv), argv.join(' ')).toBe('false');
      expect(loaderLoaded(['scenarios'])).toBe('true');
      // `analyze` runs from its own CommonJS file (build/cli/analyze.cjs), which starts sooner.
      expect(loaderLoaded(['analyze', 'no-such-capture.pcap'])).toBe('false');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers help from the TypeScript once a source of the answers changed after the build', () => {
    // A copy of the project's command with its own build, so that editing a source here touches no other test.
    const copy = mkdtempSync(join(tmpdir(), 'trunklab-stale-'));
    try {
      for (const dir of ['bin', 'sim', 'content', 'build/cli'])
        cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
      const help = () =>
        execFileSync(process.execPath, [join(copy, 'bin/trunklab.js'), '--help'], { encoding: 'utf8' });
      const first = help().split('\n')[0];
      expect(first).toMatch(/^trunklab — /);
      const usage = join(copy, 'sim/cli/usage.ts');
      const source = readFileSync(usage, 'utf8');
      expect(source).toContain(first);
      writeFileSync(usage, source.replace(first, `${first} (edited)`));
      const later = new Date(Date.now() + 60_000);
      utimesSync(usage, later, later);
      expect(help().split('\n')[0]).toBe(`${first} (edited)`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 180_000);

  it('names the TypeScript in a stack trace from the JavaScript', () => {
    const script = [
      'process.setSourceMapsEnabled(true);',
      `const { main } = await import(${JSON.stringify(join(BUILD, 'trunklab.js'))});`,
      // No context to write to: main fails at once, with a stack through its own code.
      "try { await main(['--help'], undefined); } catch (e) { console.log(e.stack); }",
    ].join('\n');
    const stack = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(stack).toMatch(/TypeError/);
    expect(stack).toMatch(/sim\/cli\/main\.ts:\d+:\d+/);
  });

  it('turns source maps on when a command loads the engine, and leaves them off for help', () => {
    const script = [
      `const { runTrunklab } = await import(${JSON.stringify(join(BUILD, 'trunklab.js'))});`,
      "await runTrunklab(['--help']);",
      'const afterHelp = process.sourceMapsEnabled;',
      "await runTrunklab(['scenarios']);",
      'console.error(JSON.stringify({ afterHelp, afterCommand: process.sourceMapsEnabled }));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stderr)).toEqual({ afterHelp: false, afterCommand: true });
  });

  it('runs on its own from a copy outside the project, as a package with no dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(BUILD, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'trunklab', bin: { trunklab: 'bin.cjs' } });
    expect(pkg.dependencies).toBeUndefined();
    const copy = mkdtempSync(join(tmpdir(), 'trunklab-alone-'));
    const pki = buildInteropPki();
    try {
      cpSync(BUILD, copy, { recursive: true });
      const r = spawnSync(
        process.execPath,
        [join(copy, 'bin.cjs'), 'cert-check', pki.server.ec.cert, '--ca', pki.ca, '--host', '127.0.0.1'],
        { cwd: copy, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^valid: /);
      const analyze = spawnSync(process.execPath, [join(copy, 'bin.cjs'), 'analyze', join(copy, 'missing.pcap')], {
        cwd: copy,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(analyze.status).toBe(2);
      expect(analyze.stderr).toMatch(/^trunklab analyze: cannot read .*missing\.pcap: no such file/);
    } finally {
      pki.dispose();
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
