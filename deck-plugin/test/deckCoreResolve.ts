/**
 * What vitest needs to load the real @spinnaker/core 0.29.1 in jsdom. Proposed for the shared
 * vitest.config.ts (owned by the lead); deck-plugin/test/vitest.config.ts applies it meanwhile.
 *
 * - @spinnaker/core and @spinnaker/presentation declare only `module` (no `main`, no `exports`),
 *   and vitest resolves with `mainFields: []`, so `import '@spinnaker/core'` fails to resolve.
 *   An alias to the ES build fixes that without switching every package to its `module` build
 *   (react-virtualized's ES build then breaks under Node's resolver).
 * - Both are ES modules in packages without `"type": "module"`: Node would load them as CommonJS,
 *   so vite must transform them (`server.deps.inline`).
 * - core's build imports `root/version.json`, a webpack alias of Deck's own build.
 */
import { fileURLToPath } from 'node:url';

const nodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));

export const deckCoreResolve = {
  resolve: {
    alias: [
      { find: /^@spinnaker\/core$/, replacement: nodeModules + '@spinnaker/core/dist/index.js' },
      { find: /^@spinnaker\/presentation$/, replacement: nodeModules + '@spinnaker/presentation/dist/index.js' },
      { find: /^root\/version\.json$/, replacement: fileURLToPath(new URL('./fixtures/version.json', import.meta.url)) },
    ],
  },
  test: { server: { deps: { inline: ['@spinnaker/core', '@spinnaker/presentation'] } } },
};
