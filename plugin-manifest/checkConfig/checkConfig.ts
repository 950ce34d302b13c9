/**
 * `npm run check-config`: checks an admin's Spinnaker configuration for this plugin and names each
 * wrong or missing key with its fix. Services read configuration as Spring does: Gate reads
 * spinnaker-local.yml then gate-local.yml, Orca spinnaker-local.yml then orca-local.yml (later wins;
 * a list is replaced whole, never merged by index).
 */
import { DEFAULT_BRIDGE_URL, deployRoutes } from '@cdaas/contract/deploy';
import { READ_PROXY_ID } from '@cdaas/contract/read';
import { type PluginInfo, rawManifestUrl, repositoryId } from '../core/pluginInfo';
import { requiresService } from '../core/requires';
import { compareVersionStrings } from '../core/semver';
import { checkOrcaUrl, ORCA_DEFAULT_RULES, type OrcaUrlRules, type UrlVerdict } from '@cdaas/contract/orcaUrlRules';
import type { LoadedSources, Position, Prop, Service, Source } from './sources';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  file: string;
  pos?: Position;
  message: string;
}

export interface CheckContext {
  info: PluginInfo;
  /** Versions of this plugin in plugins.json, with their `requires`. */
  releases: { version: string; requires: string }[];
  /** The read listener URL to suggest for the Gate proxy. */
  defaultReadUrl: string;
}

interface ViewEntry {
  prop: Prop;
  source: Source;
}
type View = Map<string, ViewEntry>;

const listRoot = (key: string) => (key.includes('[') ? key.slice(0, key.indexOf('[')) : undefined);

/** Spring's merge: later sources override keys; a list defined later replaces the earlier list. */
function viewOf(sources: Source[]): View {
  const view: View = new Map();
  for (const source of sources) {
    const roots = new Set([...source.props.keys()].map(listRoot).filter((r): r is string => r !== undefined));
    for (const key of [...view.keys()]) {
      const root = listRoot(key);
      if (root && roots.has(root)) view.delete(key);
    }
    for (const [key, prop] of source.props) view.set(key, { prop, source });
  }
  return view;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Spring's relaxed binding for the names we look up: `allowedHostnamesRegex` = `allowed-hostnames-regex`. */
function lookup(view: View, key: string): ViewEntry | undefined {
  return view.get(key) ?? view.get(key.split('.').map(kebab).join('.'));
}

function list(view: View, key: string): { values: unknown[]; entry?: ViewEntry } | undefined {
  for (const k of [key, key.split('.').map(kebab).join('.')]) {
    const items: unknown[] = [];
    let first: ViewEntry | undefined;
    for (let i = 0; view.has(`${k}[${i}]`); i++) {
      const e = view.get(`${k}[${i}]`)!;
      first ??= e;
      items.push(e.prop.value);
    }
    if (items.length) return { values: items, entry: view.get(k) ?? first };
    const scalar = view.get(k);
    if (scalar && typeof scalar.prop.value === 'string') {
      // Spring also binds a comma-separated string to a list.
      return { values: scalar.prop.value.split(',').map((s) => s.trim()).filter(Boolean), entry: scalar };
    }
    if (scalar && scalar.prop.value === undefined) return { values: [], entry: scalar };
  }
  return undefined;
}

const truthy = (v: unknown) => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
const falsy = (v: unknown) => v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false');

function shown(source: Source, key: string): string {
  return source.prefix ? `${source.prefix}.${key}` : key;
}

class Findings {
  readonly all: Finding[] = [];
  at(severity: Severity, entry: ViewEntry, key: string, problem: string) {
    this.all.push({ severity, file: entry.source.file, pos: entry.prop.pos, message: `${shown(entry.source, key)} ${problem}` });
  }
  missing(severity: Severity, target: Source, key: string, problem: string) {
    this.all.push({ severity, file: target.file, message: `${shown(target, key)} ${problem}` });
  }
  raw(finding: Finding) {
    this.all.push(finding);
  }
}

function pick(sources: Source[], service: Service): Source | undefined {
  return sources.find((s) => s.service === service);
}

// ---------------------------------------------------------------- Deck

interface BridgeUrl {
  url: string;
  source?: Source;
  pos?: Position;
}

function scriptPos(source: Source, needle: string): Position | undefined {
  const text = source.script?.text ?? '';
  const index = text.indexOf(needle);
  if (index < 0) return undefined;
  const before = text.slice(0, index).split('\n');
  return { line: before.length + (source.script?.firstLine ?? 1) - 1, col: before[before.length - 1].length + 1 };
}

function checkDeck(deckSources: Source[], findings: Findings): BridgeUrl {
  let result: BridgeUrl = { url: DEFAULT_BRIDGE_URL };
  for (const source of deckSources) {
    if (!source.deckSettings) continue; // its evaluation error is already reported
    const cdaas = source.deckSettings.cdaas;
    const where = shown(source, 'window.spinnakerSettings.cdaas');
    if (cdaas === undefined || (typeof cdaas === 'object' && cdaas !== null && Object.keys(cdaas).length === 0)) {
      findings.raw({
        severity: 'warning',
        file: source.file,
        message: `${where} is not set: Deck saves stages with the default bridge URL ${DEFAULT_BRIDGE_URL}; set \`window.spinnakerSettings.cdaas = { bridgeUrl: '...' }\` if Orca reaches the bridge elsewhere`,
      });
      continue;
    }
    const bridgeUrl = (cdaas as { bridgeUrl?: unknown }).bridgeUrl;
    const pos = scriptPos(source, 'bridgeUrl') ?? scriptPos(source, 'cdaas');
    if (typeof bridgeUrl !== 'string' || !bridgeUrl.trim()) {
      findings.raw({ severity: 'error', file: source.file, pos, message: `${where}.bridgeUrl must be the bridge's deploy URL as Orca reaches it, e.g. bridgeUrl: '${DEFAULT_BRIDGE_URL}'` });
      continue;
    }
    let parsed: URL;
    try {
      parsed = new URL(bridgeUrl.trim());
    } catch {
      findings.raw({ severity: 'error', file: source.file, pos, message: `${where}.bridgeUrl "${bridgeUrl}" is not an absolute URL: use e.g. '${DEFAULT_BRIDGE_URL}'` });
      continue;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      findings.raw({ severity: 'error', file: source.file, pos, message: `${where}.bridgeUrl must be http or https, not ${parsed.protocol}` });
      continue;
    }
    if (parsed.pathname.includes('/proxies/')) {
      findings.raw({
        severity: 'error',
        file: source.file,
        pos,
        message: `${where}.bridgeUrl "${bridgeUrl}" goes through Gate's proxy: Orca calls the bridge's deploy listener directly (e.g. ${DEFAULT_BRIDGE_URL}); the proxy is for Deck's reads`,
      });
      continue;
    }
    result = { url: bridgeUrl.trim().replace(/\/+$/, ''), source, pos };
  }
  return result;
}

// ---------------------------------------------------------------- Gate

function checkGate(gateSources: Source[], ctx: CheckContext, bridge: BridgeUrl, findings: Findings): void {
  const { info } = ctx;
  const view = viewOf(gateSources);
  const shared = pick(gateSources, 'spinnaker');
  const gate = [...gateSources].reverse().find((s) => s.service === 'gate') ?? gateSources[gateSources.length - 1];
  const expectedPlugins = rawManifestUrl(info, 'plugins.json');

  // Repository
  const repoKeys = [...view.keys()].map((k) => /^spinnaker\.extensibility\.repositories\.(.+)\.url$/.exec(k)).filter((m): m is RegExpExecArray => !!m);
  let ours = false;
  for (const m of repoKeys) {
    const key = m[0];
    const name = m[1];
    const entry = view.get(key)!;
    const url = String(entry.prop.value ?? '');
    const blob = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/(?:blob|raw)\/(.+)$/.exec(url);
    if (blob) {
      findings.at('error', entry, key, `is a GitHub page, not the raw file Spinnaker can read: use https://raw.githubusercontent.com/${blob[1]}/${blob[2]}/${blob[3]}`);
      continue;
    }
    let base: URL;
    try {
      base = new URL(url);
    } catch {
      findings.at('error', entry, key, `"${url}" is not a URL: use ${expectedPlugins}`);
      continue;
    }
    const resolved = new URL('plugins.json', base).href;
    if (!/\.json$/.test(base.pathname) && !base.pathname.endsWith('/')) {
      findings.at('error', entry, key, `is read as ${resolved} (pf4j resolves "plugins.json" against it, dropping the last segment): end the URL with /plugins.json`);
      continue;
    }
    const enabled = lookup(view, `spinnaker.extensibility.repositories.${name}.enabled`);
    if (resolved === expectedPlugins) {
      if (enabled && falsy(enabled.prop.value)) {
        findings.at('error', enabled, `spinnaker.extensibility.repositories.${name}.enabled`, 'is false: Gate never reads this plugin\'s repository; set `enabled: true`');
      } else {
        ours = true;
      }
    }
  }
  if (!ours) {
    const target = shared ?? gate;
    if (repoKeys.length === 0) {
      findings.missing(
        'error',
        target,
        `spinnaker.extensibility.repositories.${repositoryId(info)}.url`,
        `is missing: add the plugin repository, \`url: ${expectedPlugins}\``,
      );
    } else {
      findings.missing(
        'warning',
        target,
        'spinnaker.extensibility.repositories',
        `has no repository at ${expectedPlugins}; if one of yours mirrors it, check it with \`npm run verify-manifest -- <its url>\``,
      );
    }
  }

  // deck-proxy
  const deckProxy = lookup(view, 'spinnaker.extensibility.deck-proxy.enabled');
  if (deckProxy && falsy(deckProxy.prop.value)) {
    findings.at('error', deckProxy, 'spinnaker.extensibility.deck-proxy.enabled', 'is false: Gate then serves no Deck plugin; set `enabled: true` (or remove it, true is the default)');
  }
  const pluginKey = `spinnaker.extensibility.deck-proxy.plugins.${info.id}`;
  const enabled = view.get(`${pluginKey}.enabled`);
  const miscased = [...view.keys()].find(
    (k) => k.toLowerCase() === `${pluginKey}.enabled`.toLowerCase() && k !== `${pluginKey}.enabled`,
  );
  if (!enabled && miscased) {
    findings.at('error', view.get(miscased)!, miscased, `names the plugin with the wrong case: the id is ${info.id}`);
  } else if (!enabled) {
    findings.missing('error', gate, `${pluginKey}.enabled`, 'is missing: add `enabled: true` (Gate serves Deck only the plugins enabled here)');
  } else if (!truthy(enabled.prop.value)) {
    findings.at('error', enabled, `${pluginKey}.enabled`, `is ${String(enabled.prop.value)}: set \`enabled: true\``);
  }
  const version = view.get(`${pluginKey}.version`);
  const deckReleases = ctx.releases.filter((r) => requiresService(r.requires, 'deck')).map((r) => r.version);
  const newest = [...deckReleases].sort(compareVersionStrings).at(-1);
  if (version) {
    const v = String(version.prop.value);
    if (version.prop.yamlNumber) {
      const written = version.prop.raw ?? v;
      findings.at(
        'error',
        version,
        `${pluginKey}.version`,
        `is the YAML number ${v}${written !== v ? ` (written ${written})` : ''}, not a version string: quote it, version: "${written}"`,
      );
    } else if (!ctx.releases.some((r) => r.version === v)) {
      const has = ctx.releases.map((r) => r.version).join(', ') || 'no releases yet';
      findings.at(
        'error',
        version,
        `${pluginKey}.version`,
        `is ${v}, which is not in plugins.json (has: ${has}): Gate would serve ${newest ? `the newest release, ${newest},` : 'nothing'} instead; use one of those versions`,
      );
    } else if (!deckReleases.includes(v)) {
      findings.at('error', version, `${pluginKey}.version`, `is ${v}, whose requires does not name deck: Gate would find no deck.zip in it`);
    }
  } else if (enabled) {
    findings.missing(
      'warning',
      enabled.source,
      `${pluginKey}.version`,
      `is not set: Gate serves the newest release requiring deck${newest ? ` (now ${newest})` : ''} and moves on its own; pin \`version: "${newest ?? info.version}"\` to choose when to upgrade`,
    );
  }

  // A Deck-only plugin has no place among the backend plugins.
  const backend = view.get(`spinnaker.extensibility.plugins.${info.id}.enabled`);
  if (backend && truthy(backend.prop.value)) {
    const services = ['gate', 'orca', 'clouddriver'].filter((s) => !requiresService(info.requires, s));
    if (services.length) {
      const strict = lookup(view, 'spinnaker.extensibility.strictPluginLoading') ?? view.get('spinnaker.extensibility.strict-plugin-loading');
      const lenient = strict && falsy(strict.prop.value);
      findings.at(
        lenient ? 'warning' : 'error',
        backend,
        `spinnaker.extensibility.plugins.${info.id}.enabled`,
        `enables ${info.id} as a backend plugin, but its releases require only ${info.requires}: ` +
          (lenient ? 'the services log that no release fits them' : 'with strict plugin loading (the default) the services fail to start finding no release for them') +
          `; remove spinnaker.extensibility.plugins.${info.id} and keep deck-proxy.plugins.${info.id}`,
      );
    }
  }

  // The read proxy
  const proxyIds = [...view.keys()].filter((k) => /^proxies\[\d+\]\.id$/.test(k));
  const proxy = proxyIds.find((k) => String(view.get(k)!.prop.value) === READ_PROXY_ID);
  const suggestion = `\`- id: ${READ_PROXY_ID}\` with \`uri: ${ctx.defaultReadUrl}\``;
  if (!proxy) {
    findings.missing('error', gate, `proxies (id ${READ_PROXY_ID})`, `is missing: Deck reads clusters and deployments through /proxies/${READ_PROXY_ID}; add ${suggestion}`);
    return;
  }
  const base = proxy.replace(/\.id$/, '');
  const uri = view.get(`${base}.uri`);
  if (!uri || typeof uri.prop.value !== 'string') {
    findings.at('error', view.get(proxy)!, `${base}.uri`, `is missing: add \`uri: ${ctx.defaultReadUrl}\` (the bridge's read listener)`);
    return;
  }
  let target: URL;
  try {
    target = new URL(uri.prop.value);
  } catch {
    findings.at('error', uri, `${base}.uri`, `"${uri.prop.value}" is not an absolute URL: use ${ctx.defaultReadUrl}`);
    return;
  }
  const deploy = new URL(bridge.url);
  const port = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');
  // Same port on the same Service (first DNS label), whatever suffix each name carries.
  if (port(target) === port(deploy) && target.hostname.split('.')[0] === deploy.hostname.split('.')[0]) {
    findings.at(
      'error',
      uri,
      `${base}.uri`,
      `points at the bridge's deploy listener (port ${port(deploy)}, the one Orca calls): Deck's reads go to the read listener, e.g. ${ctx.defaultReadUrl}`,
    );
  }
  if (target.pathname !== '/' && target.pathname !== '') {
    findings.at('warning', uri, `${base}.uri`, `has the path ${target.pathname}: Gate appends the rest of /proxies/${READ_PROXY_ID}/** to it, and the bridge serves its read paths from /`);
  }
  // `methods` is neither demanded nor judged: Gate never checks it (the read listener allows GET and its two approval POSTs only).

  // Approving from Deck: the bridge learns the user from the X-SPINNAKER-USER Gate adds (Gate 1.31+).
  const propagate = lookup(view, 'ok-http-client.propagateSpinnakerHeaders');
  if (propagate && String(propagate.prop.value).toLowerCase() === 'false') {
    findings.at('warning', propagate, 'ok-http-client.propagate-spinnaker-headers', `is false: Gate sends no X-SPINNAKER-USER through /proxies/${READ_PROXY_ID}, so nobody can approve or roll back a CD-as-a-Service step from Deck; remove it to approve from Deck`);
  }
}

// ---------------------------------------------------------------- Orca

function orcaRules(view: View): { rules: OrcaUrlRules; origin: Map<keyof OrcaUrlRules, ViewEntry> } {
  const prefix = 'user-configured-url-restrictions';
  const rules: OrcaUrlRules = { ...ORCA_DEFAULT_RULES };
  const origin = new Map<keyof OrcaUrlRules, ViewEntry>();
  for (const key of ['allowedHostnamesRegex', 'excludedDomainTemplate'] as const) {
    const e = lookup(view, `${prefix}.${key}`);
    if (e && e.prop.value !== undefined && e.prop.value !== null) {
      rules[key] = String(e.prop.value);
      origin.set(key, e);
    }
  }
  for (const key of ['rejectLocalhost', 'rejectLinkLocal', 'rejectVerbatimIps'] as const) {
    const e = lookup(view, `${prefix}.${key}`);
    if (e && (truthy(e.prop.value) || falsy(e.prop.value))) {
      rules[key] = truthy(e.prop.value);
      origin.set(key, e);
    }
  }
  for (const key of ['allowedSchemes', 'excludedDomains', 'extraExcludedPatterns', 'excludedDomainsFromEnvironment'] as const) {
    const l = list(view, `${prefix}.${key}`);
    if (l) {
      rules[key] = l.values.map(String);
      if (l.entry) origin.set(key, l.entry);
    }
  }
  return { rules, origin };
}

function fixFor(verdict: Exclude<UrlVerdict, { ok: true }>, rules: OrcaUrlRules): string {
  switch (verdict.rule) {
    case 'excludedDomains': {
      const rest = rules.excludedDomains.filter((d) => d !== verdict.domain);
      const svc = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(verdict.host ?? '');
      return (
        `either drop ${verdict.domain} from user-configured-url-restrictions.excludedDomains in orca-local.yml (excludedDomains: [${rest.join(', ')}]) ` +
        `or give Deck's cdaas.bridgeUrl a name outside it${svc ? `, e.g. http://${svc[1]}.${svc[2]}.svc:<port> (resolves in-cluster through the pod's DNS search list)` : ''}`
      );
    }
    case 'allowedHostnamesRegex':
      return `use a dotted name Orca accepts, e.g. ${DEFAULT_BRIDGE_URL}, or widen user-configured-url-restrictions.allowedHostnamesRegex`;
    case 'verbatimIp':
      return 'use a DNS name (e.g. the bridge Service\'s <name>.<namespace>.svc), or set user-configured-url-restrictions.rejectVerbatimIps: false';
    case 'localhost':
      return 'use the bridge Service\'s cluster name, or set user-configured-url-restrictions.rejectLocalhost: false (only where Orca and the bridge share a host)';
    case 'linkLocal':
      return 'use the bridge Service\'s cluster name, or set user-configured-url-restrictions.rejectLinkLocal: false';
    case 'scheme':
      return 'use http or https, or add the scheme to user-configured-url-restrictions.allowedSchemes';
    case 'extraExcludedPatterns':
      return 'change Deck\'s cdaas.bridgeUrl or the pattern in user-configured-url-restrictions.extraExcludedPatterns';
    default:
      return 'check user-configured-url-restrictions in orca-local.yml';
  }
}

function checkOrca(orcaSources: Source[], bridge: BridgeUrl, findings: Findings): void {
  const view = viewOf(orcaSources);
  const orca = [...orcaSources].reverse().find((s) => s.service === 'orca');
  const { rules, origin } = orcaRules(view);
  const from = bridge.source ? `Deck's cdaas.bridgeUrl ${bridge.url}` : `the default bridge URL ${bridge.url} (Deck's cdaas.bridgeUrl is not set)`;
  const verdict = checkOrcaUrl(bridge.url, rules);
  if (!verdict.ok) {
    const ruleKey: Partial<Record<typeof verdict.rule, keyof OrcaUrlRules>> = {
      scheme: 'allowedSchemes',
      verbatimIp: 'rejectVerbatimIps',
      localhost: 'rejectLocalhost',
      linkLocal: 'rejectLinkLocal',
      allowedHostnamesRegex: 'allowedHostnamesRegex',
      excludedDomains: 'excludedDomains',
      extraExcludedPatterns: 'extraExcludedPatterns',
    };
    const key = ruleKey[verdict.rule];
    const configured = key ? origin.get(key) : undefined;
    const rulesFrom = configured ? "Orca's configured user-configured-url-restrictions" : 'Orca\'s default user-configured-url-restrictions';
    const port = new URL(bridge.url).port;
    const message = `${from} is refused by ${rulesFrom}: ${verdict.detail}; ${fixFor(verdict, rules).replace(':<port>', port ? `:${port}` : '')}`;
    if (configured) {
      findings.raw({
        severity: 'error',
        file: configured.source.file,
        pos: configured.prop.pos,
        message: `${shown(configured.source, `user-configured-url-restrictions.${key}`)}: ${message}`,
      });
    }
    else if (bridge.source) findings.raw({ severity: 'error', file: bridge.source.file, pos: bridge.pos, message });
    else findings.raw({ severity: 'error', file: orca?.file ?? '(Orca defaults)', message });
  }
  if (rules.excludedDomainsFromEnvironment.length) {
    const e = origin.get('excludedDomainsFromEnvironment');
    if (e) findings.at('warning', e, 'user-configured-url-restrictions.excludedDomainsFromEnvironment', `excludes domains named by environment variables (${rules.excludedDomainsFromEnvironment.join(', ')}); make sure none of them is a suffix of ${new URL(bridge.url).hostname}`);
  }

  // The allow list, when enabled, must let through the three calls a stage makes.
  const enabled = lookup(view, 'webhook.allowedRequestsEnabled');
  if (!enabled || !truthy(enabled.prop.value)) return;
  const calls: [string, string][] = [
    [deployRoutes.start.method, bridge.url + deployRoutes.start.path({ executionId: '01JEXAMPLE0000000000000000', stageRefId: '3' })],
    [deployRoutes.status.method, bridge.url + deployRoutes.status.path({ pipelineId: 'example-pipeline-id' })],
    [deployRoutes.cancel.method, bridge.url + deployRoutes.cancel.path({ executionId: '01JEXAMPLE0000000000000000', stageRefId: '3' })],
  ];
  const rulesList: { methods: string[]; prefix?: string; pattern?: string; strategy: string }[] = [];
  for (let i = 0; ; i++) {
    const base = `webhook.allowedRequests[${i}]`;
    const alt = `webhook.allowed-requests[${i}]`;
    const has = [...view.keys()].some((k) => k.startsWith(`${base}.`) || k.startsWith(`${alt}.`));
    if (!has) break;
    const methods = (list(view, `${base}.httpMethods`) ?? list(view, `${alt}.httpMethods`))?.values.map(String) ?? [];
    rulesList.push({
      methods,
      prefix: (lookup(view, `${base}.urlPrefix`) ?? lookup(view, `${alt}.urlPrefix`))?.prop.value as string | undefined,
      pattern: (lookup(view, `${base}.urlPattern`) ?? lookup(view, `${alt}.urlPattern`))?.prop.value as string | undefined,
      strategy: String((lookup(view, `${base}.matchStrategy`) ?? lookup(view, `${alt}.matchStrategy`))?.prop.value ?? 'STARTS_WITH'),
    });
  }
  const origin2 = new URL(bridge.url);
  const snippet = `\`- httpMethods: [POST, GET]\` with \`urlPrefix: ${origin2.origin}/\``;
  const refused = calls.filter(
    ([method, url]) =>
      !rulesList.some(
        (r) =>
          r.methods.includes(method) &&
          (r.strategy === 'PATTERN_MATCHES' ? r.pattern !== undefined && new RegExp(`^(?:${r.pattern})$`).test(url) : r.prefix !== undefined && url.startsWith(r.prefix)),
      ),
  );
  if (refused.length) {
    const e = lookup(view, 'webhook.allowedRequests') ?? view.get('webhook.allowedRequests[0]') ?? enabled;
    const lowercase = rulesList.some((r) => r.methods.some((m) => m !== m.toUpperCase()));
    findings.at(
      'error',
      e,
      'webhook.allowedRequests',
      `does not allow ${refused.map(([m, u]) => `${m} ${u}`).join(', ')} (the calls a CDaaS stage makes to start, poll and cancel)` +
        `${lowercase ? '; Orca compares methods case-sensitively, write them in capitals' : ''}: add ${snippet}`,
    );
  }
}

// ---------------------------------------------------------------- entry point

export function checkConfig(loaded: LoadedSources, ctx: CheckContext): Finding[] {
  const findings = new Findings();
  for (const p of loaded.problems) findings.raw({ severity: 'error', file: p.file, pos: p.pos, message: p.message });
  const { sources } = loaded;
  const order = (s: Source) => (s.service === 'spinnaker' ? 0 : 1);
  const broken = new Set(loaded.broken);
  const bridge = checkDeck(sources.filter((s) => s.service === 'deck'), findings);
  // A service whose file could not be read is not checked further: every key would look missing.
  const gateSources = sources.filter((s) => s.service === 'spinnaker' || s.service === 'gate').sort((a, b) => order(a) - order(b));
  if (gateSources.length && !broken.has('gate') && !broken.has('spinnaker')) checkGate(gateSources, ctx, bridge, findings);
  const orcaSources = sources.filter((s) => s.service === 'spinnaker' || s.service === 'orca').sort((a, b) => order(a) - order(b));
  if (!broken.has('orca') && !broken.has('spinnaker') && !broken.has('deck')) checkOrca(orcaSources, bridge, findings);
  return findings.all;
}

export function formatFinding(f: Finding): string {
  const where = f.pos ? `${f.file}:${f.pos.line}:${f.pos.col}` : f.file;
  return `${where}: ${f.severity === 'warning' ? 'warning: ' : ''}${f.message}`;
}
