/**
 * msw for Deck tests, fail-closed: a request no handler answers is recorded and fails the test in
 * afterEach (msw's `onUnhandledRequest: 'error'` only logs and rejects the request).
 */
import { setupServer } from 'msw/node';

import { TEST_GATE_URL } from './setup';

export const GATE = TEST_GATE_URL;
export const PROXY = `${TEST_GATE_URL}/proxies/cdaas`;

export function setupMsw() {
  const server = setupServer();
  const unhandled: string[] = [];
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: (request) => {
        unhandled.push(`${request.method} ${request.url}`);
      },
    }),
  );
  afterEach(() => {
    server.resetHandlers();
    const seen = unhandled.splice(0);
    expect(seen, 'requests no msw handler answered').toEqual([]);
  });
  afterAll(() => server.close());
  return server;
}
