/**
 * Turns a Spinnaker artifact from a stage payload into manifest text.
 *
 * - embedded/base64: decoded from `reference`.
 * - http/file, github/file: fetched, but only from hosts the bridge's config allows. A pipeline
 *   author must not be able to make the bridge call an internal address, so the host allow-list
 *   is checked on the first URL and on every redirect (redirects to another host are refused),
 *   credentials are sent only to the host they belong to, and size and time are bounded.
 * - Anything else is refused, naming the type.
 */
import type { AxiosInstance } from 'axios';

import type { ArtifactManifest, KorkArtifact } from '@cdaas/contract/deploy';
import { INLINE_ARTIFACT_SPEL_FIELDS, isInlineArtifactManifest, SUPPORTED_ARTIFACT_TYPES } from '@cdaas/contract/deploy';
import { isSpel } from '@cdaas/contract/spel';
import type { BridgeConfig } from '../config/config';

export class ArtifactError extends Error {
  constructor(
    message: string,
    /** 400: the stage is wrong (terminal in Orca); 502: the artifact server failed (Orca retries). */
    readonly status: 400 | 502,
    /** The request field at fault, when the error is about one field of the entry. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ArtifactError';
  }
}

const MAX_REDIRECTS = 3;

/**
 * How errors name an artifact entry: by the name Deck showed for an expected artifact, by its
 * manifest path for an inline one (an inline artifact has no name of its own in Deck).
 */
export function artifactEntryName(entry: ArtifactManifest): string {
  if (isInlineArtifactManifest(entry)) {
    return entry.displayName ? `inline artifact "${entry.displayName}" for ${entry.path}` : `inline artifact for ${entry.path}`;
  }
  return `artifact "${entry.displayName ?? entry.expectedArtifactId}" for ${entry.path}`;
}

/**
 * The artifact an entry provides once Orca evaluated the stage, or a 400 naming the field: an
 * expected artifact Orca could not bind arrives as its expression text, and an inline field
 * Orca could not evaluate (`${trigger.tag}` with no such trigger value) still holds `${...}`;
 * fetching either would ask the artifact server for a URL nobody meant.
 */
export function entryArtifact(entry: ArtifactManifest, index: number): KorkArtifact {
  if (isInlineArtifactManifest(entry)) {
    const field = INLINE_ARTIFACT_SPEL_FIELDS.find((f) => isSpel(entry.artifact[f] ?? ''));
    if (field) {
      throw new ArtifactError(
        `${artifactEntryName(entry)}: its ${field} still holds an expression Orca could not evaluate at stage start; fix the expression in the stage's inline artifact`,
        400,
        `artifacts[${index}].artifact.${field}`,
      );
    }
    return entry.artifact;
  }
  if (typeof entry.artifact === 'string') {
    const name = entry.displayName ? `"${entry.displayName}" (${entry.expectedArtifactId})` : `"${entry.expectedArtifactId}"`;
    throw new ArtifactError(
      `expected artifact ${name} for ${entry.path} was not bound: neither the pipeline trigger nor an upstream stage provided a matching artifact, so Orca left the expression unevaluated`,
      400,
      `artifacts[${index}].artifact`,
    );
  }
  return entry.artifact;
}

export function hostAllowed(url: URL, allowed: string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const port = url.port; // '' for the scheme's default port
  return allowed.some((entry) => {
    const [h, p] = entry.split(/:(?=\d+$)/);
    if ((p ?? '') !== port) return false;
    if (h.startsWith('*.')) return hostname.endsWith(h.slice(1)) && hostname.length > h.length - 1;
    return hostname === h;
  });
}

export class ArtifactResolver {
  constructor(
    private readonly http: AxiosInstance,
    private readonly cfg: BridgeConfig['artifacts'],
  ) {}

  async text(artifact: KorkArtifact, what: string): Promise<string> {
    switch (artifact.type) {
      case 'embedded/base64':
        return this.embedded(artifact, what);
      case 'http/file':
        return this.fetch(this.parseUrl(artifact, what), this.cfg.allowedHosts, {}, what, 'http/file');
      case 'github/file': {
        const url = this.parseUrl(artifact, what);
        if (artifact.version && !url.searchParams.has('ref')) url.searchParams.set('ref', artifact.version);
        const headers: Record<string, string> = { Accept: 'application/vnd.github.v3.raw' };
        if (this.cfg.githubToken) headers.Authorization = `Bearer ${this.cfg.githubToken}`;
        return this.fetch(url, this.cfg.githubApiHosts, headers, what, 'github/file');
      }
      default:
        throw new ArtifactError(
          `${what}: artifact type "${artifact.type}" is not supported by the bridge (supported: ${SUPPORTED_ARTIFACT_TYPES.join(', ')})`,
          400,
        );
    }
  }

  private embedded(artifact: KorkArtifact, what: string): string {
    const ref = artifact.reference ?? '';
    if (!ref) throw new ArtifactError(`${what}: embedded/base64 artifact has no reference (the base64 text)`, 400);
    if (!/^[A-Za-z0-9+/=_\s-]*$/.test(ref)) throw new ArtifactError(`${what}: embedded/base64 reference is not base64`, 400);
    const buf = Buffer.from(ref, 'base64');
    if (buf.length > this.cfg.maxBytes) throw new ArtifactError(`${what}: artifact is larger than ${this.cfg.maxBytes} bytes`, 400);
    return buf.toString('utf8');
  }

  private parseUrl(artifact: KorkArtifact, what: string): URL {
    let url: URL;
    try {
      url = new URL(artifact.reference ?? '');
    } catch {
      throw new ArtifactError(`${what}: ${artifact.type} reference is not an absolute URL`, 400);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.cfg.allowHttp)) {
      throw new ArtifactError(`${what}: ${artifact.type} URL scheme ${url.protocol} is not allowed (https only)`, 400);
    }
    if (url.username || url.password) throw new ArtifactError(`${what}: ${artifact.type} URL must not carry credentials`, 400);
    return url;
  }

  private credentialHeaders(url: URL): Record<string, string> {
    const cred = this.cfg.credentials.find((c) => c.host === url.host.toLowerCase() || (!url.port && c.host === url.hostname.toLowerCase()));
    if (!cred) return {};
    return cred.type === 'bearer'
      ? { Authorization: `Bearer ${cred.secret}` }
      : { Authorization: `Basic ${Buffer.from(`${cred.username ?? ''}:${cred.secret}`).toString('base64')}` };
  }

  private async fetch(start: URL, allowed: string[], extraHeaders: Record<string, string>, what: string, type: string): Promise<string> {
    let url = start;
    for (let hop = 0; ; hop++) {
      if (!hostAllowed(url, allowed)) {
        throw new ArtifactError(
          `${what}: ${type} host ${url.host} is not in the bridge's allowed artifact hosts${hop ? ' (reached by a redirect)' : ''}`,
          400,
        );
      }
      let res;
      try {
        res = await this.http.get<ArrayBuffer>(url.toString(), {
          headers: { ...this.credentialHeaders(url), ...extraHeaders },
          responseType: 'arraybuffer',
          maxRedirects: 0,
          maxContentLength: this.cfg.maxBytes,
          timeout: this.cfg.timeoutMs,
          validateStatus: () => true,
          // No proxy from the environment: the allow-list is about the host actually called.
          proxy: false,
        });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        if (/maxContentLength/.test(e.message ?? '')) throw new ArtifactError(`${what}: artifact at ${url.host} is larger than ${this.cfg.maxBytes} bytes`, 400);
        const timedOut = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT';
        throw new ArtifactError(`${what}: fetching the artifact from ${url.host} failed (${timedOut ? `timed out after ${this.cfg.timeoutMs} ms` : e.code ?? 'network error'})`, 502);
      }
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.location;
        if (typeof location !== 'string' || hop >= MAX_REDIRECTS) throw new ArtifactError(`${what}: too many or broken redirects from ${url.host}`, 400);
        const next = new URL(location, url);
        if (next.host !== url.host || next.protocol !== url.protocol) {
          throw new ArtifactError(`${what}: ${url.host} redirected to another host or scheme (${next.protocol}//${next.host}); the bridge follows redirects only within the same host`, 400);
        }
        url = next;
        continue;
      }
      if (res.status >= 500 || res.status === 429) throw new ArtifactError(`${what}: artifact server ${url.host} answered HTTP ${res.status}`, 502);
      if (res.status !== 200) throw new ArtifactError(`${what}: artifact server ${url.host} answered HTTP ${res.status} for ${url.pathname}`, 400);
      const buf = Buffer.from(res.data);
      if (buf.length > this.cfg.maxBytes) throw new ArtifactError(`${what}: artifact at ${url.host} is larger than ${this.cfg.maxBytes} bytes`, 400);
      return buf.toString('utf8');
    }
  }
}
