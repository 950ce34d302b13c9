/**
 * msw for the bridge's unit tests, fail-closed: a request no handler answers fails the test in
 * afterEach (msw's own `onUnhandledRequest: 'error'` only logs).
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

/** A JWT-shaped token carrying the CDaaS principal claim (unsigned: the bridge never verifies it). */
export function fakeJwt(n: number, envId = 'env-1'): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none' })}.${b64({ n, 'https://cloud.armory.io/principal': { envId, orgId: 'org-1', name: 'spinnaker' } })}.sig${n}`;
}

export const noSleep = (record?: number[]) => async (ms: number) => void record?.push(ms);
