// Builds the Deck module: one ES module, build/dist/index.js, as Deck's plugin loader imports it.
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import externalGlobals from 'rollup-plugin-external-globals';

import { sharedLibraryGlobals } from './deck-plugin/build/sharedLibraries.js';

const production = process.env.NODE_ENV !== 'development';

// Gate serves only js/css/html with content types, and only the files of deck.zip: CSS must
// travel inside index.js. This turns `import './x.css'` into a <style> added once to <head>.
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

export default {
  input: 'deck-plugin/src/index.ts',
  output: { file: 'build/dist/index.js', format: 'es', sourcemap: true },
  plugins: [
    nodeResolve({ browser: true, extensions: ['.mjs', '.js', '.json', '.ts', '.tsx'] }),
    commonjs(),
    json(),
    injectCss(),
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') } }),
    esbuild({ target: 'es2020', jsx: 'transform', jsxFactory: 'React.createElement', jsxFragment: 'React.Fragment', tsconfig: 'tsconfig.json' }),
    production && terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
    // Last, or it skips the TSX that esbuild has not transformed yet.
    externalGlobals(sharedLibraryGlobals()),
  ],
};
