/**
 * One request through Gate's proxy `cdaas`: the session cookie, JSON in and out, and every failure
 * turned into a CdaasReadError by readErrors.ts (the one place with user wording). Shared by the
 * read and approvals clients.
 */
import * as v from 'valibot';

import { errorAnswerSchema } from '@cdaas/contract/errors';
import { type CdaasReadError, readErrorFromInvalid, readErrorFromNetwork, readErrorFromStatus } from './readErrors';

/** The HTTP function the clients use: `fetch` in Deck, a wrapper in tests. */
export type HttpFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface GateRequest {
  method: 'GET' | 'POST';
  /** JSON body; Gate forwards a body only with a Content-Type, so a POST always has one. */
  body?: unknown;
  signal?: AbortSignal;
  /** A refusal the caller words itself (approvals): given the status and the parsed body. */
  onError?: (status: number, body: unknown) => CdaasReadError | undefined;
}

export async function gateJson(http: HttpFetch, baseUrl: string, path: string, req: GateRequest): Promise<unknown> {
  let response: Response;
  try {
    response = await http(baseUrl + path, {
      method: req.method,
      headers: { Accept: 'application/json', ...(req.method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
      ...(req.method === 'POST' ? { body: JSON.stringify(req.body ?? {}) } : {}),
      // Gate authenticates Deck by its session cookie, on another origin than Deck.
      credentials: 'include',
      signal: req.signal,
    });
  } catch (e) {
    if (req.signal?.aborted) throw e;
    throw readErrorFromNetwork(baseUrl.replace(/\/proxies\/.*$/, ''), e);
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const own = req.onError?.(response.status, body);
    if (own) throw own;
    const upstream = Number(response.headers.get('X-Proxy-Status-Code')) || undefined;
    const answer = v.safeParse(errorAnswerSchema, body);
    throw readErrorFromStatus(response.status, upstream, answer.success ? answer.output.error : undefined);
  }
  if (body === undefined) {
    throw readErrorFromInvalid('an answer', 'not JSON');
  }
  return body;
}
