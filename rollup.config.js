// Builds the Deck module into build/dist: `index.js` (what Deck imports: registration, help, search)
// and content-hashed chunks beside it that index.js loads with relative `import()` when a form or a
// view is first shown. Gate serves every top-level file of deck.zip and keeps it 30 days, so chunk
// names carry their content hash and nothing goes into a sub-folder (nested paths are unconfirmed
// for Gate's `{asset:.*}`). CDAAS_SINGLE_MODULE=1 builds the old single module (every import()
// inlined) into build/single: the bench's baseline.
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import MagicString from 'magic-string';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import esbuild from 'rollup-plugin-esbuild';
import externalGlobals from 'rollup-plugin-external-globals';

import { sharedLibraryGlobals } from './deck-plugin/build/sharedLibraries.js';

const production = process.env.NODE_ENV !== 'development';
const single = process.env.CDAAS_SINGLE_MODULE === '1';

// Gate serves only js/css/html with content types, and only the files of deck.zip: CSS must
// travel inside the JavaScript. This turns `import './x.css'` into a <style> added once to <head>
// (by whichever chunk holds the component that imports it).
function injectCss() {
  return {
    name: 'inject-css',
    transform(code, id) {
      if (!id.endsWith('.css')) return null;
      const css = JSON.stringify(code.replace(/\s+/g, ' ').trim());
      const key = JSON.stringify('cdaas-css-' + id.split('/').slice(-2).join('-'));
      return {
        code:
          `if (typeof document !== 'undefined' && !document.getElementById(${key})) {` +
          `const s = document.createElement('style'); s.id = ${key}; s.textContent = ${css}; document.head.appendChild(s); }` +
          `export default ${css};`,
        map: { mappings: '' },
      };
    },
  };
}

const WORKER_URL_MODULE = fileURLToPath(new URL('./deck-plugin/src/stages/deployYaml/background/workerUrl.ts', import.meta.url));
const WORKER_ENTRY = fileURLToPath(new URL('./deck-plugin/src/stages/deployYaml/background/worker.ts', import.meta.url));

/** A plugin giving the module `id` the source `source` returns (called as rollup's `load`); null keeps the file's own. */
function sourceOf(name, id, source) {
  return {
    name,
    load(moduleId) {
      return moduleId === id ? source.call(this) : null;
    },
  };
}

// The deploy.yml worker is its own chunk, sharing the validation chunk with the forms. Its URL,
// relative to the chunk asking for it, replaces workerUrl.ts (which says "no worker" unbuilt, as
// in the jsdom tests). The single-module build has no chunks to point at: no worker there either.
const deployYamlWorker = () =>
  sourceOf('deploy-yaml-worker', WORKER_URL_MODULE, function () {
    if (single) return null;
    const ref = this.emitFile({ type: 'chunk', id: WORKER_ENTRY, name: 'deploy-yaml-worker' });
    return `export const WORKER_URL = import.meta.ROLLUP_FILE_URL_${ref};`;
  });

const INCREMENTAL_CHECKER = fileURLToPath(new URL('./contract/src/deployYaml/incremental.ts', import.meta.url));
const WHOLE_TEXT_CHECKER = fileURLToPath(new URL('./test/bench/wholeTextChecker.ts', import.meta.url));

// The single module is the bench's "today": no worker, and every check parses the whole text, as
// before the incremental checker (test/bench/wholeTextChecker.ts, typed against the real one).
const wholeTextCheckerInSingle = () =>
  sourceOf('whole-text-checker-in-single', INCREMENTAL_CHECKER, () =>
    single ? `export { DeployYamlChecker } from ${JSON.stringify(WHOLE_TEXT_CHECKER)};` : null,
  );

// Chunk names change with their content: empty the folder first, or `npm run package` would ship
// the chunks of earlier builds too.
function emptyOutDir() {
  return {
    name: 'empty-out-dir',
    renderStart(options) {
      if (options.dir) rmSync(options.dir, { recursive: true, force: true });
    },
  };
}

// The chunk holding the YAML parser is named for it (its first module would name it otherwise).
// No manualChunks: rollup would pull the parser's dependencies (shared contract helpers that
// index.js needs too) into that chunk, and index.js would import the parser at start-up.
const isYamlChunk = (chunk) => chunk.moduleIds.some((id) => /[/\\]node_modules[/\\]yaml[/\\]/.test(id));
const chunkFileNames = (chunk) => (isYamlChunk(chunk) ? 'deploy-yaml-[hash].js' : '[name]-[hash].js');

// V8 compiles a function when it is first called, and most of a stage form's functions are first
// called in the task of the pick that shows it. `//# allFunctionsCalledOnLoad` (V8's explicit
// compile hint, Chrome 136 and later; other browsers read a comment) has the whole file compiled
// as it loads instead: at the preload (lazy/preload.ts), before the pick. So only the chunks a
// form statically needs carry it: not index.js (Deck's start would pay), not the YAML parser (a
// new stage has no text to parse; 30 KB gzip compiled for nothing), not the views.
// Measured: the Deploy form shown 4-7% sooner (paired, three runs; deck-plugin/src/stages/deploy/README.md).
const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';
const FORM_ENTRY = /StageConfig\.tsx$/;

/** Adds to `seen` the file names of the chunks `root` loads, itself included (static imports only). */
function staticClosure(root, chunks, seen) {
  if (seen.has(root.fileName)) return seen;
  seen.add(root.fileName);
  for (const name of root.imports) if (chunks[name]) staticClosure(chunks[name], chunks, seen);
  return seen;
}

/** The file names of every chunk a stage form statically loads: worked out once per output. */
const formClosures = new WeakMap();
function formClosure(chunks) {
  let names = formClosures.get(chunks);
  if (!names) {
    names = new Set();
    for (const c of Object.values(chunks)) if (c.isDynamicEntry && FORM_ENTRY.test(c.facadeModuleId ?? '')) staticClosure(c, chunks, names);
    formClosures.set(chunks, names);
  }
  return names;
}

function compileHintForForms() {
  return {
    name: 'compile-hint-for-forms',
    renderChunk(code, chunk, _options, meta) {
      if (single || chunk.isEntry || isYamlChunk(chunk) || !formClosure(meta.chunks).has(chunk.fileName)) return null;
      const s = new MagicString(code).prepend(COMPILE_HINT);
      return { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) };
    },
  };
}

export default {
  input: { index: 'deck-plugin/src/index.ts' },
  // index.js itself holds the registration (no facade re-exporting from a hashed chunk, which
  // would cost Deck one more request before it can register anything).
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: single ? 'build/single' : 'build/dist',
    format: 'es',
    sourcemap: true,
    entryFileNames: (chunk) => (chunk.name === 'index' ? 'index.js' : '[name]-[hash].js'),
    chunkFileNames,
    inlineDynamicImports: single,
  },
  plugins: [
    emptyOutDir(),
    deployYamlWorker(),
    wholeTextCheckerInSingle(),
    nodeResolve({ browser: true, extensions: ['.mjs', '.js', '.json', '.ts', '.tsx'] }),
    commonjs(),
    json(),
    injectCss(),
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') } }),
    esbuild({ target: 'es2020', jsx: 'transform', jsxFactory: 'React.createElement', jsxFragment: 'React.Fragment', tsconfig: 'tsconfig.json' }),
    production && terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
    // Last, or it skips the TSX that esbuild has not transformed yet. It rewrites every chunk
    // (and the worker, which imports no shared library), so each reads Deck's shared globals.
    externalGlobals(sharedLibraryGlobals()),
    // After the minifier, which drops every comment.
    compileHintForForms(),
  ],
};
