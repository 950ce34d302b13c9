/**
 * Orca's `user-configured-url-restrictions`, as kork's UrlRestrictions applies them to every
 * webhook URL: scheme, verbatim IPs, localhost and link-local, then the hostname pattern and the
 * excluded domains. Evaluated without DNS: a name Orca cannot resolve, or one that resolves to a
 * refused address, can only be found at run time.
 *
 * Browser-safe, so the Deck form, the bridge and the config checker judge a URL by the same rules.
 */

/** 4 or 6 for an IP literal, else 0. `URL` already normalises IPv4 hosts and brackets IPv6 ones. */
function isIP(host: string): 0 | 4 | 6 {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return 4;
  return host.includes(':') ? 6 : 0;
}

export interface OrcaUrlRules {
  allowedHostnamesRegex: string;
  allowedSchemes: string[];
  rejectLocalhost: boolean;
  rejectLinkLocal: boolean;
  rejectVerbatimIps: boolean;
  excludedDomainTemplate: string;
  excludedDomains: string[];
  extraExcludedPatterns: string[];
  excludedDomainsFromEnvironment: string[];
}

export const ORCA_DEFAULT_RULES: OrcaUrlRules = {
  // "Excludes anything without a dot, since k8s resolves single-word names."
  allowedHostnamesRegex: '.*\\..+',
  allowedSchemes: ['http', 'https'],
  rejectLocalhost: true,
  rejectLinkLocal: true,
  rejectVerbatimIps: true,
  // "Excludes any hostname that ends with the excluded domain."
  excludedDomainTemplate: '(?=.+\\.%s$).*\\..+',
  excludedDomains: ['spinnaker', 'local', 'localdomain', 'internal'],
  extraExcludedPatterns: [],
  excludedDomainsFromEnvironment: [],
};

export type UrlRule =
  | 'url'
  | 'scheme'
  | 'verbatimIp'
  | 'localhost'
  | 'linkLocal'
  | 'allowedHostnamesRegex'
  | 'excludedDomains'
  | 'extraExcludedPatterns'
  | 'unsupportedRegex';

export type UrlVerdict = { ok: true; host: string } | { ok: false; rule: UrlRule; detail: string; domain?: string; host?: string };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Java's Matcher.matches(): the whole input. Java-only syntax (possessive, \Q..\E) is refused. */
function javaFullMatch(pattern: string, input: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`).test(input);
  } catch {
    return undefined;
  }
}

function isLocalhostLiteral(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.') || host === '0.0.0.0';
  return host === '::1' || host === '::';
}

function isLinkLocalLiteral(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('169.254.');
  return isIP(host) === 6 && /^fe[89ab]/i.test(host);
}

export function checkOrcaUrl(url: string, rules: OrcaUrlRules): UrlVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, rule: 'url', detail: `"${url}" is not an absolute URL` };
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (!rules.allowedSchemes.map((s) => s.toLowerCase()).includes(scheme)) {
    return { ok: false, rule: 'scheme', detail: `scheme ${scheme} is not in allowedSchemes [${rules.allowedSchemes.join(', ')}]` };
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ip = isIP(host) !== 0;
  if (ip && rules.rejectVerbatimIps) return { ok: false, rule: 'verbatimIp', detail: `${host} is a verbatim IP address`, host };
  if (rules.rejectLocalhost && isLocalhostLiteral(host)) return { ok: false, rule: 'localhost', detail: `${host} is localhost`, host };
  if (rules.rejectLinkLocal && isLinkLocalLiteral(host)) return { ok: false, rule: 'linkLocal', detail: `${host} is link-local`, host };
  if (ip) return { ok: true, host };

  const allowed = javaFullMatch(rules.allowedHostnamesRegex, host);
  if (allowed === undefined) {
    return { ok: false, rule: 'unsupportedRegex', detail: `allowedHostnamesRegex "${rules.allowedHostnamesRegex}" cannot be evaluated here`, host };
  }
  if (!allowed) {
    return {
      ok: false,
      rule: 'allowedHostnamesRegex',
      detail: `${host} does not match allowedHostnamesRegex ${rules.allowedHostnamesRegex}${host.includes('.') ? '' : ' (a name without a dot)'}`,
      host,
    };
  }
  for (const domain of rules.excludedDomains) {
    const pattern = rules.excludedDomainTemplate.replace('%s', escapeRegex(domain));
    if (javaFullMatch(pattern, host)) {
      return { ok: false, rule: 'excludedDomains', detail: `${host} ends with .${domain}, which excludedDomains refuses`, domain, host };
    }
  }
  for (const pattern of rules.extraExcludedPatterns) {
    if (javaFullMatch(pattern, host)) {
      return { ok: false, rule: 'extraExcludedPatterns', detail: `${host} matches extraExcludedPatterns entry ${pattern}`, host };
    }
  }
  return { ok: true, host };
}
