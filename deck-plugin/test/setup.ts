import '@testing-library/jest-dom/vitest';

import jQuery from 'jquery';

// Deck's webpack build provides jQuery as a global (ProvidePlugin); core's bundled bootstrap.js
// throws at import time without it.
Object.assign(globalThis, { jQuery, $: jQuery });

// SETTINGS is read from this global when @spinnaker/core loads. An http origin, because the
// plugin's read client uses fetch, and Node's fetch does not resolve relative URLs.
export const TEST_GATE_URL = 'http://gate.test';
Object.assign(window, {
  spinnakerSettings: {
    gateUrl: TEST_GATE_URL,
    cdaas: { bridgeUrl: 'http://cdaas-bridge.spinnaker.svc:7002' },
    feature: {},
    providers: {},
  },
});
