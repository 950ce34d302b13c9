/**
 * Deck's REST() (AccountService and friends) sends through AngularJS's $http, which these tests
 * do not bootstrap. This puts a fetch-based client behind RequestBuilder's documented hook
 * (`defaultHttpClient`), so Deck's own services reach the fail-closed msw server over the same
 * URLs as in Deck. Only GET is needed so far; anything else fails loudly.
 */
import type { IHttpClientImplementation } from '@spinnaker/core';
import { RequestBuilder } from '@spinnaker/core';

type Config = Parameters<IHttpClientImplementation['get']>[0];

async function get<T>(config: Config): Promise<T> {
  const url = new URL(config.url);
  for (const [k, v] of Object.entries(config.params ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  // $http rejects a non-2xx answer with the response: callers see a rejection either way.
  if (!res.ok) throw Object.assign(new Error(`GET ${url.pathname} answered ${res.status}`), { status: res.status });
  return (await res.json()) as T;
}

const refuse = (method: string) => (config: Config) => Promise.reject(new Error(`${method} ${config.url}: not supported by the test client`));

export function useDeckRestOverFetch(): void {
  const previous = RequestBuilder.defaultHttpClient;
  beforeAll(() => {
    RequestBuilder.defaultHttpClient = { get, post: refuse('POST'), put: refuse('PUT'), patch: refuse('PATCH'), delete: refuse('DELETE') };
  });
  afterAll(() => {
    RequestBuilder.defaultHttpClient = previous;
  });
}
