/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl and most Node clients read them (lower case wins over
 * upper case, as curl does): which proxy, if any, a URL goes through. A corporate proxy is the usual
 * reason a requirement is unmet, so preflight connects the way the proxy makes it and says so.
 */
import { isIP } from 'node:net';

export type Env = Record<string, string | undefined>;

export interface ProxySettings {
  https?: URL;
  http?: URL;
  /** NO_PROXY entries, lower case; `*` bypasses every host. */
  noProxy: string[];
  /** Settings that could not be read, by variable name. */
  problems: string[];
}

const pick = (env: Env, name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;

function parseProxy(name: string, value: string | undefined, problems: string[]): URL | undefined {
  if (!value) return undefined;
  try {
    // curl accepts a bare host:port; so does this.
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    if (url.protocol !== 'http:') {
      problems.push(`${name}: only http:// proxies are supported (got ${url.protocol}//)`);
      return undefined;
    }
    return url;
  } catch {
    problems.push(`${name}: not a URL`);
    return undefined;
  }
}

export function proxySettings(env: Env): ProxySettings {
  const problems: string[] = [];
  const https = parseProxy('HTTPS_PROXY', pick(env, 'https_proxy'), problems);
  const http = parseProxy('HTTP_PROXY', pick(env, 'http_proxy'), problems);
  const noProxy = (pick(env, 'no_proxy') ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return { https, http, noProxy, problems };
}

/** Whether NO_PROXY names this host (and port): `example.com` and `.example.com` cover subdomains. */
export function bypassed(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    let name = entry;
    let entryPort: string | undefined;
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !isIP(entry)) [name, entryPort] = [m[1]!, m[2]];
    if (entryPort && entryPort !== port) return false;
    name = name.replace(/^\*?\./, '');
    return host === name || (!isIP(host) && host.endsWith(`.${name}`));
  });
}

/** The proxy a request to `url` goes through, or undefined when it goes direct. */
export function proxyFor(url: URL, settings: ProxySettings): URL | undefined {
  if (bypassed(url, settings.noProxy)) return undefined;
  return url.protocol === 'https:' ? settings.https : settings.http;
}

/** A proxy URL fit to print: a user name and password in it are credentials. */
export function showProxy(url: URL): string {
  const shown = new URL(url.href);
  if (shown.username || shown.password) {
    shown.username = '***';
    shown.password = '';
  }
  return shown.href.replace(/\/$/, '');
}
