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

/**
 * A refusal carries the one wording every caller shows (each adds only its own framing): `reason`,
 * what is wrong with the host as a clause ("ends with .local, which excludedDomains refuses"), and
 * `detail`, the same with the host in front. For `url`, `scheme` and `unsupportedRegex`, which are
 * not about the host, both are the whole sentence.
 */
export type UrlVerdict =
  | { ok: true; host: string }
  | { ok: false; rule: UrlRule; reason: string; detail: string; domain?: string; host?: string };

type Refusal = Exclude<UrlVerdict, { ok: true }>;

function hostRefusal(rule: UrlRule, host: string, reason: string, domain?: string): Refusal {
  return { ok: false, rule, reason, detail: `${host} ${reason}`, host, ...(domain !== undefined ? { domain } : {}) };
}

function refusal(rule: UrlRule, sentence: string): Refusal {
  return { ok: false, rule, reason: sentence, detail: sentence };
}

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
    return refusal('url', `"${url}" is not an absolute URL`);
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (!rules.allowedSchemes.map((s) => s.toLowerCase()).includes(scheme)) {
    return refusal('scheme', `scheme ${scheme} is not in allowedSchemes [${rules.allowedSchemes.join(', ')}]`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ip = isIP(host) !== 0;
  if (ip && rules.rejectVerbatimIps) return hostRefusal('verbatimIp', host, 'is an IP address, which rejectVerbatimIps refuses');
  if (rules.rejectLocalhost && isLocalhostLiteral(host)) return hostRefusal('localhost', host, 'is localhost, which rejectLocalhost refuses');
  if (rules.rejectLinkLocal && isLinkLocalLiteral(host)) return hostRefusal('linkLocal', host, 'is link-local, which rejectLinkLocal refuses');
  if (ip) return { ok: true, host };

  const allowed = javaFullMatch(rules.allowedHostnamesRegex, host);
  if (allowed === undefined) {
    return { ...refusal('unsupportedRegex', `allowedHostnamesRegex "${rules.allowedHostnamesRegex}" cannot be evaluated here`), host };
  }
  if (!allowed) {
    const reason = host.includes('.')
      ? `does not match allowedHostnamesRegex ${rules.allowedHostnamesRegex}`
      : `has no dot in its name, which allowedHostnamesRegex ${rules.allowedHostnamesRegex} refuses`;
    return hostRefusal('allowedHostnamesRegex', host, reason);
  }
  for (const domain of rules.excludedDomains) {
    const pattern = rules.excludedDomainTemplate.replace('%s', escapeRegex(domain));
    if (javaFullMatch(pattern, host)) {
      return hostRefusal('excludedDomains', host, `ends with .${domain}, which excludedDomains refuses`, domain);
    }
  }
  for (const pattern of rules.extraExcludedPatterns) {
    if (javaFullMatch(pattern, host)) {
      return hostRefusal('extraExcludedPatterns', host, `matches extraExcludedPatterns entry ${pattern}`);
    }
  }
  return { ok: true, host };
}
