/**
 * msw, fail-closed, for every test project: a request no handler answers is recorded and fails the
 * test in afterEach (msw's own `onUnhandledRequest: 'error'` only logs and rejects the request,
 * which a client that handles errors well turns into a passing test).
 */
import { setupServer } from 'msw/node';

export function failClosedServer() {
  const server = setupServer();
  const unhandled: string[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: (req) => void unhandled.push(`${req.method} ${req.url}`) }));
  afterEach(() => {
    server.resetHandlers();
    const seen = unhandled.splice(0);
    expect(seen, 'requests no msw handler answered').toEqual([]);
  });
  afterAll(() => server.close());
  return server;
}
