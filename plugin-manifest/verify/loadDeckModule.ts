/**
 * Loads a Deck plugin module the way Deck does: shared libraries on
 * `window.spinnaker.plugins.sharedLibraries`, then a native dynamic `import()` of index.js, then
 * the named export `plugin`. It runs in a worker thread with a jsdom window (the bundle is browser
 * code) and stand-ins for the shared libraries, so a bundle that pollutes globals or never settles
 * cannot affect the caller; the worker is ended after a timeout.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import * as z from 'zod';

import { repoRoot } from '../core/pluginInfo';

export interface ModuleReport {
  exports: string[];
  pluginType: string;
  stageKeys: string[];
}

export type LoadResult = { ok: true; report: ModuleReport } | { ok: false; problem: string };

const sharedLibrariesModule = z.object({
  SHARED_LIBRARIES: z.array(z.string()),
  sharedLibraryGlobalName: z.custom<(name: string) => string>((v) => typeof v === 'function'),
});

/** The shared library globals, from the same file rollup's external-globals mapping uses. */
export async function sharedLibraryGlobals(root: string = repoRoot()): Promise<string[]> {
  const url = pathToFileURL(join(root, 'deck-plugin', 'build', 'sharedLibraries.js')).href;
  const mod = sharedLibrariesModule.parse(await import(url));
  return mod.SHARED_LIBRARIES.map((name) => {
    const global = mod.sharedLibraryGlobalName(name);
    const prefix = 'window.spinnaker.plugins.sharedLibraries.';
    if (!global.startsWith(prefix)) throw new Error(`unexpected shared library global ${global}`);
    return global.slice(prefix.length);
  });
}

// Runs inside the worker (CommonJS eval code; dynamic import() still works there).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { JSDOM } = require(workerData.jsdomPath);
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
  for (const name of workerData.globals) sharedLibraries[name] = standIn(name);
  dom.window.spinnaker = { plugins: { sharedLibraries } };
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  if (typeof globalThis.navigator === 'undefined') globalThis.navigator = dom.window.navigator;
  try {
    const ns = await import(workerData.url);
    const plugin = ns.plugin;
    const stageKeys = plugin && Array.isArray(plugin.stages)
      ? plugin.stages.map((s) => (s && typeof s.key === 'string' ? s.key : '?'))
      : [];
    parentPort.postMessage({ ok: true, report: { exports: Object.keys(ns), pluginType: plugin === null ? 'null' : typeof plugin, stageKeys } });
  } catch (e) {
    parentPort.postMessage({ ok: false, problem: (e && e.stack) ? String(e.stack).split('\\n').slice(0, 3).join(' | ') : String(e) });
  }
})();
`;

export async function loadDeckModule(indexJsPath: string, globals: string[], timeoutMs = 15_000): Promise<LoadResult> {
  const jsdomPath = createRequire(import.meta.url).resolve('jsdom');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url: pathToFileURL(indexJsPath).href, globals, jsdomPath },
    stdout: true,
    stderr: true,
  });
  try {
    return await new Promise<LoadResult>((resolvePromise) => {
      const timer = setTimeout(
        () => resolvePromise({ ok: false, problem: `index.js did not finish loading within ${timeoutMs / 1000} s` }),
        timeoutMs,
      );
      worker.once('message', (m: LoadResult) => {
        clearTimeout(timer);
        resolvePromise(m);
      });
      worker.once('error', (e) => {
        clearTimeout(timer);
        resolvePromise({ ok: false, problem: e.message });
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        resolvePromise({ ok: false, problem: `the loader stopped (exit code ${code}) before index.js finished loading` });
      });
    });
  } finally {
    await worker.terminate();
  }
}
