/**
 * The Fiat client against the sandbox's Fiat stand-in and a Fiat that never answers, over loopback:
 * 200/404 are answers (cached), everything else refuses and is asked again next time.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios from 'axios';

import { type FiatHandle, startFiat } from '../../../sandbox/fiat/server';
import { FiatUnavailableError, HttpFiatClient, fiatAuthorizePath } from './fiat';

let fiat: FiatHandle;
beforeAll(async () => {
  fiat = await startFiat({ permissions: { 'alice@example.com': { payments: ['READ', 'EXECUTE'] }, 'bob@example.com': { payments: ['READ'] } } });
});
afterAll(() => fiat.close());
afterEach(() => {
  fiat.down = false;
});

const client = (baseURL: string, cacheTtlMs = 60_000, timeoutMs = 2_000) => new HttpFiatClient(axios.create({ baseURL }), { cacheTtlMs, timeoutMs });

describe('HttpFiatClient', () => {
  it("asks fiat-web's authorize path and reads 200 as yes, 404 as no, case-insensitively", async () => {
    expect(fiatAuthorizePath('a b@x.io', 'payments')).toBe('/authorize/a%20b%40x.io/applications/payments/EXECUTE');
    const c = client(fiat.url);
    expect(await c.canExecute('Alice@Example.com', 'PAYMENTS')).toBe(true);
    expect(await c.canExecute('bob@example.com', 'payments')).toBe(false);
    expect(await c.canExecute('nobody@example.com', 'payments')).toBe(false);
  });

  it('caches answers for the TTL, one question for concurrent callers', async () => {
    const c = client(fiat.url);
    const before = fiat.requests.length;
    await Promise.all([1, 2, 3].map(() => c.canExecute('alice@example.com', 'payments')));
    await c.canExecute('ALICE@example.com', 'payments');
    expect(fiat.requests.length - before).toBe(1);
  });

  it('refuses when Fiat answers 5xx, and asks again the next time (an outage is never cached)', async () => {
    const c = client(fiat.url);
    fiat.down = true;
    await expect(c.canExecute('alice@example.com', 'payments')).rejects.toBeInstanceOf(FiatUnavailableError);
    fiat.down = false;
    expect(await c.canExecute('alice@example.com', 'payments')).toBe(true);
  });

  it('refuses when Fiat does not answer in time', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const c = client(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, 60_000, 100);
      await expect(c.canExecute('alice@example.com', 'payments')).rejects.toThrow(/Fiat did not answer/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
