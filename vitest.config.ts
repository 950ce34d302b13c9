import { defineConfig } from 'vitest/config';

import { deckCoreResolve } from './deck-plugin/test/deckCoreResolve';

// Two projects: the Deck module runs in jsdom (React 16 + Testing Library, the real
// @spinnaker/core), everything else (bridge, emulator, manifest tooling, bundle and end-to-end
// tests) runs in plain Node.
export default defineConfig({
  test: {
    globals: true,
    projects: [
      {
        extends: true,
        resolve: deckCoreResolve.resolve,
        test: {
          name: 'deck',
          include: ['deck-plugin/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          environmentOptions: { jsdom: { url: 'http://deck.test/' } },
          setupFiles: ['deck-plugin/test/setup.ts'],
          server: deckCoreResolve.test.server,
          testTimeout: 20000,
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          include: ['contract/**/*.test.ts', 'bridge/**/*.test.ts', 'plugin-manifest/**/*.test.ts', 'sandbox/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30000,
          hookTimeout: 120000,
        },
      },
    ],
  },
});
