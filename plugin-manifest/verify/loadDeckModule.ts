/**
 * Loads a Deck plugin module the way Deck does: shared libraries on
 * `window.spinnaker.plugins.sharedLibraries`, a native dynamic `import()` of index.js, then the
 * named export `plugin`. The module is code downloaded from the internet, and Node is not a
 * browser sandbox: it runs in a separate Node process under Node's permission model, allowed to
 * read only its own folder and node_modules (for jsdom), and refused file writes, child processes
 * and workers. Node 20's model does not restrict the network. The process is killed after a timeout.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

import * as z from 'zod';

import { repoRoot } from '../core/pluginInfo';

export interface ModuleReport {
  exports: string[];
  pluginType: string;
  stageKeys: string[];
  /** The chunks loaded after index.js, each resolved relative to it as the browser does. */
  chunks: string[];
}

export type LoadResult = { ok: true; report: ModuleReport } | { ok: false; problem: string };

const sharedLibrariesModule = z.object({
  SHARED_LIBRARIES: z.array(z.string()),
  sharedLibraryKey: z.custom<(name: string) => string>((v) => typeof v === 'function'),
});

/** The shared library globals, from the same file rollup's external-globals mapping uses. */
export async function sharedLibraryGlobals(root: string = repoRoot()): Promise<string[]> {
  const url = pathToFileURL(join(root, 'deck-plugin', 'build', 'sharedLibraries.js')).href;
  const mod = sharedLibrariesModule.parse(await import(url));
  return mod.SHARED_LIBRARIES.map((name) => mod.sharedLibraryKey(name));
}

const MARKER = '@@cdaas-verify-result@@';

// The loader (CommonJS; dynamic import() still works there). argv: jsdom path, module URL, globals
// JSON, chunk names JSON.
const LOADER_SOURCE = `
const [jsdomPath, moduleUrl, globalsJson, chunksJson] = process.argv.slice(2);
const report = (r) => process.stdout.write('\\n${MARKER}' + JSON.stringify(r) + '\\n');
(async () => {
  const { JSDOM } = require(jsdomPath);
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'http://deck.invalid/' });
  // A stand-in for any shared library: every property, call and construction gives another
  // stand-in, so module-level code such as React.createContext() or class X extends React.Component runs.
  const standIn = (path) => new Proxy(function () {}, {
    get(_t, prop) {
      if (prop === Symbol.toPrimitive) return () => '[shared ' + path + ']';
      if (prop === 'then') return undefined;
      if (prop === '__esModule') return true;
      if (prop === 'prototype') return {};
      return standIn(path + '.' + String(prop));
    },
    apply() { return standIn(path + '()'); },
    construct() { return standIn('new ' + path); },
  });
  const sharedLibraries = {};
  for (const name of JSON.parse(globalsJson)) sharedLibraries[name] = standIn(name);
  dom.window.spinnaker = { plugins: { sharedLibraries } };
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  if (typeof globalThis.navigator === 'undefined') globalThis.navigator = dom.window.navigator;
  try {
    const ns = await import(moduleUrl);
    const plugin = ns.plugin;
    const stageKeys = plugin && Array.isArray(plugin.stages)
      ? plugin.stages.map((s) => (s && typeof s.key === 'string' ? s.key : '?'))
      : [];
    const chunks = [];
    for (const chunk of JSON.parse(chunksJson)) {
      try {
        await import(new URL(chunk, moduleUrl).href);
        chunks.push(chunk);
      } catch (e) {
        report({ ok: false, problem: 'chunk ' + chunk + ' (loaded by index.js) failed: ' + (e && e.message ? e.message.split('\\n')[0] : String(e)) });
        process.exit(0);
      }
    }
    report({ ok: true, report: { exports: Object.keys(ns), pluginType: plugin === null ? 'null' : typeof plugin, stageKeys, chunks } });
  } catch (e) {
    report({ ok: false, problem: e && e.stack ? String(e.stack).split('\\n').slice(0, 3).join(' | ') : String(e) });
  }
  process.exit(0);
})();
`;

const resultSchema = z.union([
  z.object({
    ok: z.literal(true),
    report: z.object({ exports: z.array(z.string()), pluginType: z.string(), stageKeys: z.array(z.string()), chunks: z.array(z.string()) }),
  }),
  z.object({ ok: z.literal(false), problem: z.string() }),
]);

/**
 * @param indexJsPath index.js in a folder holding the chunks beside it (and a package.json with
 *   `"type": "module"`, so Node reads every .js there as an ES module, as the browser does)
 * @param chunks chunk file names to import after index.js, relative to it
 */
export async function loadDeckModule(indexJsPath: string, globals: string[], timeoutMs = 15_000, chunks: string[] = []): Promise<LoadResult> {
  const jsdomPath = createRequire(import.meta.url).resolve('jsdom');
  const marker = `${sep}node_modules${sep}`;
  const nodeModules = jsdomPath.slice(0, jsdomPath.lastIndexOf(marker) + marker.length);
  const dir = dirname(indexJsPath);
  const loader = join(dir, 'verify-loader.cjs');
  writeFileSync(loader, LOADER_SOURCE);
  const child = spawn(
    process.execPath,
    [
      '--experimental-permission',
      `--allow-fs-read=${dir}${sep}`,
      `--allow-fs-read=${nodeModules}`,
      '--no-warnings',
      loader,
      jsdomPath,
      pathToFileURL(indexJsPath).href,
      JSON.stringify(globals),
      JSON.stringify(chunks),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: {} },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exit = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, timedOut: true });
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut: false });
    });
  });
  if (exit.timedOut) return { ok: false, problem: `index.js did not finish loading within ${timeoutMs / 1000} s` };
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(MARKER));
  if (!line) {
    const why = stderr.trim().split('\n').slice(0, 3).join(' | ') || `exit code ${exit.code}`;
    return { ok: false, problem: `the loader stopped before index.js finished loading: ${why}` };
  }
  const parsed = resultSchema.safeParse(JSON.parse(line.slice(MARKER.length)));
  return parsed.success ? parsed.data : { ok: false, problem: 'the loader answered in an unexpected shape' };
}
