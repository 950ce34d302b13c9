/**
 * Downloads what Gate downloads (repositories.json, plugins.json, bundles) over http(s) or from
 * file: URLs, following redirects (GitHub answers release downloads with a 302 to its storage
 * host), with a size cap and a timeout. HTTP status becomes words here and only here.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export class FetchError extends Error {}

export interface FetchOptions {
  maxBytes?: number;
  timeoutMs?: number;
}

/** A command-line argument as a URL: http(s) and file URLs as given, anything else a local path. */
export function toUrl(arg: string, cwd: string = process.cwd()): URL {
  if (/^(https?|file):/i.test(arg)) return new URL(arg);
  return pathToFileURL(isAbsolute(arg) ? arg : resolve(cwd, arg));
}

export function describeStatus(status: number): string {
  if (status === 404) return 'HTTP 404: not found (wrong URL, wrong branch, or the release asset was never uploaded)';
  if (status === 401 || status === 403) return `HTTP ${status}: access refused (private repository or rate limit)`;
  if (status === 429) return 'HTTP 429: rate limited, retry later';
  if (status >= 500) return `HTTP ${status}: the server failed, retry later`;
  return `HTTP ${status}`;
}

export async function fetchBytes(url: URL, options: FetchOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (url.protocol === 'file:') {
    const path = fileURLToPath(url);
    try {
      const s = await stat(path);
      if (s.size > maxBytes) throw new FetchError(`${path} is ${s.size} bytes; at most ${maxBytes} are accepted`);
      return new Uint8Array(await readFile(path));
    } catch (e) {
      if (e instanceof FetchError) throw e;
      throw new FetchError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError(`${url.href}: only http, https and file URLs can be downloaded`);
  }
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchError(`GET ${url.href} failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const where = response.url && response.url !== url.href ? ` (redirected to ${response.url})` : '';
    throw new FetchError(`GET ${url.href}${where}: ${describeStatus(response.status)}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FetchError(`GET ${url.href}: ${declared} bytes; at most ${maxBytes} are accepted`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    total += next.value.length;
    if (total > maxBytes) {
      await reader?.cancel();
      throw new FetchError(`GET ${url.href}: more than ${maxBytes} bytes; refusing the rest`);
    }
    chunks.push(next.value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
