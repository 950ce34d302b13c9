import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { defaultReadUrl } from '../core/bridgeDefaults';
import { loadPluginInfo } from '../core/pluginInfo';
import { exampleFiles } from '../docs/snippets';
import { runCli, startFakeGitHub, tempDir, writeFile } from '../testing/fixtures';
import { checkConfig, type Finding, formatFinding } from './checkConfig';
import { checkOrcaUrl, ORCA_DEFAULT_RULES } from '@cdaas/contract/orcaUrlRules';
import { loadSources } from './sources';

const info = loadPluginInfo();
const ctx = { info, releases: [{ version: info.version, requires: 'deck>=0.0.0' }, { version: '0.0.9', requires: 'deck>=0.0.0' }], defaultReadUrl: defaultReadUrl() };
const P = `spinnaker.extensibility.deck-proxy.plugins.${info.id}`;

/** Writes the files into a fresh folder and checks them; returns the formatted lines. */
function check(files: Record<string, string>, args: string[] = Object.keys(files)): { lines: string[]; findings: Finding[] } {
  const dir = tempDir('cfg');
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  const findings = checkConfig(loadSources(args.map((a) => a.replace(/^(?:(\w+)=)?(.*)$/, (_m, svc, f) => (svc ? `${svc}=` : '') + join(dir, f)))), ctx);
  return { findings, lines: findings.map((f) => formatFinding(f).replace(`${dir}/`, '')) };
}

const good = exampleFiles(info);
const goodSet = {
  'spinnaker-local.yml': good['spinnaker-local.yml'],
  'gate-local.yml': good['gate-local.yml'],
  'settings-local.js': good['settings-local.js'],
  'orca-local.yml': good['orca-local.allowed-requests.yml'],
};

describe('check-config on good configuration', () => {
  it('accepts the admin guide\'s files without a single finding', () => {
    expect(check(goodSet).lines).toEqual([]);
  });

  it('reads the plugin id as Spring does, whether nested, dotted or bracketed', () => {
    const [ns, name] = info.id.split('.');
    const nested = good['gate-local.yml'].replace(`        ${info.id}:\n          enabled: true\n          version:`, `        ${ns}:\n          ${name}:\n            enabled: true\n            version:`);
    expect(nested).not.toBe(good['gate-local.yml']);
    expect(check({ ...goodSet, 'gate-local.yml': nested }).lines).toEqual([]);
    const bracketed = good['gate-local.yml'].replace(`        ${info.id}:`, `        "[${info.id}]":`);
    expect(check({ ...goodSet, 'gate-local.yml': bracketed }).lines).toEqual([]);
  });

  it('accepts the admin guide\'s SpinnakerService manifest', () => {
    expect(check({ 'spinnakerservice.yml': good['spinnakerservice.yml'] }).lines).toEqual([]);
  });

  it('accepts a bridge under .svc.cluster.local once Orca no longer excludes .local', () => {
    const settings = good['settings-local.js'].replace('spinnaker.svc:7002', 'spinnaker.svc.cluster.local:7002');
    const { lines } = check({ ...goodSet, 'settings-local.js': settings, 'orca-local.yml': good['orca-local.cluster-local.yml'] });
    expect(lines).toEqual([]);
  });
});

describe('check-config names each wrong or missing key', () => {
  it('gate-local.yml: missing enablement, unquoted version, proxy at the deploy port', () => {
    const { lines } = check({
      'spinnaker-local.yml': good['spinnaker-local.yml'],
      'gate-local.yml': `spinnaker:
  extensibility:
    deck-proxy:
      plugins:
        ${info.id}:
          version: 1.10
proxies:
  - id: cdaas
    uri: http://cdaas-bridge.spinnaker.svc:7002
`,
    });
    expect(lines).toContain(`gate-local.yml: ${P}.enabled is missing: add \`enabled: true\` (Gate serves Deck only the plugins enabled here)`);
    expect(lines).toContain(`gate-local.yml:6:11: ${P}.version is the YAML number 1.1 (written 1.10), not a version string: quote it, version: "1.10"`);
    expect(lines).toContain(
      `gate-local.yml:9:5: proxies[0].uri points at the bridge's deploy listener (port 7002, the one Orca calls): Deck's reads go to the read listener, e.g. ${defaultReadUrl()}`,
    );
    expect(lines).toHaveLength(3);
  });

  it('approving from Deck: Gate told not to pass the user', () => {
    const { lines } = check({
      ...goodSet,
      'gate-local.yml': `${good['gate-local.yml']}ok-http-client:\n  propagateSpinnakerHeaders: false\n`,
    });
    expect(lines).toEqual([
      expect.stringMatching(/^gate-local\.yml:\d+:\d+: warning: ok-http-client\.propagate-spinnaker-headers is false: Gate sends no X-SPINNAKER-USER through \/proxies\/cdaas, so nobody can approve/),
    ]);
  });

  it('a pinned version that plugins.json does not have', () => {
    const { lines } = check({ ...goodSet, 'gate-local.yml': good['gate-local.yml'].replace(`"${info.version}"`, '"9.9.9"') });
    expect(lines).toEqual([
      `gate-local.yml:8:11: ${P}.version is 9.9.9, which is not in plugins.json (has: ${info.version}, 0.0.9): Gate would serve the newest release, ${info.version}, instead; use one of those versions`,
    ]);
  });

  it('the plugin disabled, deck-proxy disabled, and the id in the wrong case', () => {
    const disabled = check({ ...goodSet, 'gate-local.yml': good['gate-local.yml'].replace(/enabled: true\n(\s+version)/, 'enabled: false\n$1') });
    expect(disabled.lines).toEqual([`gate-local.yml:7:11: ${P}.enabled is false: set \`enabled: true\``]);
    const proxyOff = check({ ...goodSet, 'gate-local.yml': good['gate-local.yml'].replace('deck-proxy:\n      enabled: true', 'deck-proxy:\n      enabled: false') });
    expect(proxyOff.lines).toEqual([
      'gate-local.yml:4:7: spinnaker.extensibility.deck-proxy.enabled is false: Gate then serves no Deck plugin; set `enabled: true` (or remove it, true is the default)',
    ]);
    const cased = check({ ...goodSet, 'gate-local.yml': good['gate-local.yml'].replace(info.id, info.id.toLowerCase()) });
    expect(cased.lines[0]).toMatch(new RegExp(`^gate-local\\.yml:7:11: spinnaker\\.extensibility\\.deck-proxy\\.plugins\\.${info.id.toLowerCase().replace('.', '\\.')}\\.enabled names the plugin with the wrong case: the id is ${info.id.replace('.', '\\.')}`));
  });

  it('repository URLs that are not raw or that pf4j would resolve elsewhere', () => {
    const blob = check({ ...goodSet, 'spinnaker-local.yml': good['spinnaker-local.yml'].replace('https://raw.githubusercontent.com/armory/cdaas-spinnaker-plugin/main/', 'https://github.com/armory/cdaas-spinnaker-plugin/blob/main/') });
    expect(blob.lines[0]).toBe(
      'spinnaker-local.yml:5:9: spinnaker.extensibility.repositories.cdaas-spinnaker-plugin.url is a GitHub page, not the raw file Spinnaker can read: use https://raw.githubusercontent.com/armory/cdaas-spinnaker-plugin/main/plugin-manifest/plugins.json',
    );
    const dir = check({ ...goodSet, 'spinnaker-local.yml': good['spinnaker-local.yml'].replace('/plugin-manifest/plugins.json', '/plugin-manifest') });
    expect(dir.lines[0]).toMatch(/spinnaker-local\.yml:5:9: .*\.url is read as https:\/\/raw\.githubusercontent\.com\/armory\/cdaas-spinnaker-plugin\/main\/plugins\.json .*end the URL with \/plugins\.json/);
    // A URL ending in repositories.json lands on the plugins.json beside it, as pf4j resolves it.
    const repos = check({ ...goodSet, 'spinnaker-local.yml': good['spinnaker-local.yml'].replace('plugins.json', 'repositories.json') });
    expect(repos.lines).toEqual([]);
    const none = check({ ...goodSet, 'spinnaker-local.yml': 'spinnaker: {}\n' });
    expect(none.lines).toEqual([
      `spinnaker-local.yml: spinnaker.extensibility.repositories.cdaas-spinnaker-plugin.url is missing: add the plugin repository, \`url: https://raw.githubusercontent.com/armory/cdaas-spinnaker-plugin/main/plugin-manifest/plugins.json\``,
    ]);
  });

  it('the plugin enabled as a backend plugin for every service', () => {
    const { lines } = check({ ...goodSet, 'spinnaker-local.yml': good['spinnaker-local.yml'] + `    plugins:\n      ${info.id}:\n        enabled: true\n` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^spinnaker-local\\.yml:8:9: spinnaker\\.extensibility\\.plugins\\.${info.id.replace('.', '\\.')}\\.enabled enables .* as a backend plugin.*strict plugin loading \\(the default\\) the services fail to start`));
  });

  it('the cdaas proxy missing, including when gate-local.yml replaces spinnaker-local.yml\'s list', () => {
    const gateWithout = `${good['gate-local.yml'].split('proxies:')[0]}proxies:\n  - id: other\n    uri: http://other.example.com\n`;
    const sharedWith = `${good['spinnaker-local.yml']}proxies:\n  - id: cdaas\n    uri: ${defaultReadUrl()}\n`;
    const { lines } = check({ ...goodSet, 'spinnaker-local.yml': sharedWith, 'gate-local.yml': gateWithout });
    expect(lines).toEqual([
      `gate-local.yml: proxies (id cdaas) is missing: Deck reads clusters and deployments through /proxies/cdaas; add \`- id: cdaas\` with \`uri: ${defaultReadUrl()}\``,
    ]);
  });

  it('a bridge URL under .svc.cluster.local with Orca\'s default restrictions', () => {
    const settings = good['settings-local.js'].replace('spinnaker.svc:7002', 'spinnaker.svc.cluster.local:7002');
    const { lines } = check({ ...goodSet, 'settings-local.js': settings, 'orca-local.yml': 'webhook: {}\n' });
    expect(lines).toEqual([
      "settings-local.js:3:3: Deck's cdaas.bridgeUrl http://cdaas-bridge.spinnaker.svc.cluster.local:7002 is refused by Orca's default user-configured-url-restrictions: " +
        'cdaas-bridge.spinnaker.svc.cluster.local ends with .local, which excludedDomains refuses; either drop local from user-configured-url-restrictions.excludedDomains ' +
        "in orca-local.yml (excludedDomains: [spinnaker, localdomain, internal]) or give Deck's cdaas.bridgeUrl a name outside it, e.g. http://cdaas-bridge.spinnaker.svc:7002 " +
        "(resolves in-cluster through the pod's DNS search list)",
    ]);
  });

  it('Orca restrictions the admin changed so that they refuse the default bridge URL', () => {
    const { lines } = check({
      ...goodSet,
      'settings-local.js': 'window.spinnakerSettings.other = 1;\n',
      'orca-local.yml': 'user-configured-url-restrictions:\n  excluded-domains: [spinnaker, svc]\n',
    });
    expect(lines).toContain(
      "orca-local.yml:2:3: user-configured-url-restrictions.excludedDomains: the default bridge URL http://cdaas-bridge.spinnaker.svc:7002 (Deck's cdaas.bridgeUrl is not set) is refused by Orca's configured user-configured-url-restrictions: cdaas-bridge.spinnaker.svc ends with .svc, which excludedDomains refuses; either drop svc from user-configured-url-restrictions.excludedDomains in orca-local.yml (excludedDomains: [spinnaker]) or give Deck's cdaas.bridgeUrl a name outside it",
    );
    expect(lines).toContain(
      "settings-local.js: warning: window.spinnakerSettings.cdaas is not set: Deck saves stages with the default bridge URL http://cdaas-bridge.spinnaker.svc:7002; set `window.spinnakerSettings.cdaas = { bridgeUrl: '...' }` if Orca reaches the bridge elsewhere",
    );
  });

  it('webhook.allowedRequests enabled without the bridge', () => {
    const { lines } = check({
      ...goodSet,
      'orca-local.yml': 'webhook:\n  allowedRequestsEnabled: true\n  allowedRequests:\n    - httpMethods: [post, GET]\n      urlPrefix: http://cdaas-bridge.spinnaker.svc:7002/\n',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^orca-local\.yml:3:3: webhook\.allowedRequests does not allow POST http:\/\/cdaas-bridge\.spinnaker\.svc:7002\/v1\/executions\/.*\/deployment, POST .*\/deployment\/cancel .*write them in capitals: add `- httpMethods: \[POST, GET\]` with `urlPrefix: http:\/\/cdaas-bridge\.spinnaker\.svc:7002\/`$/);
    const pattern = check({
      ...goodSet,
      'orca-local.yml': "webhook:\n  allowedRequestsEnabled: true\n  allowedRequests:\n    - httpMethods: [POST, GET]\n      matchStrategy: PATTERN_MATCHES\n      urlPattern: 'http://cdaas-bridge\\.spinnaker\\.svc:7002/v1/.*'\n",
    });
    expect(pattern.lines).toEqual([]);
  });

  it('YAML and script errors with file:line:column, without piling "missing" findings on top', () => {
    const { lines } = check({ 'gate-local.yml': 'spinnaker:\n  extensibility:\n    deck-proxy: [\n', 'settings-local.js': "window.spinnakerSettings.cdaas = {\n  bridgeUrl: 'x',,\n};\n" });
    expect(lines[0]).toMatch(/^gate-local\.yml:\d+:\d+: YAML error: /);
    expect(lines).toContain("settings-local.js:2:18: SyntaxError: Unexpected token ',' (Deck would stop reading its settings here)");
    expect(lines.some((l) => l.includes('is missing'))).toBe(false);
  });

  it('names keys inside a SpinnakerService manifest by their path there, with manifest lines', () => {
    const manifest = good['spinnakerservice.yml'].replace(/(\s+)enabled: true\n(\s+version)/, '$1enabled: false\n$2').replace("svc:7002'", "svc.cluster.local:7002'");
    const { lines } = check({ 'spinnakerservice.yml': manifest });
    expect(lines).toContain(`spinnakerservice.yml:21:19: spec.spinnakerConfig.profiles.gate.${P}.enabled is false: set \`enabled: true\``);
    expect(lines.some((l) => /^spinnakerservice\.yml:3\d:\d+: Deck's cdaas\.bridgeUrl .*svc\.cluster\.local:7002 is refused/.test(l))).toBe(true);
  });

  it('asks which service reads a file it cannot place', () => {
    expect(check({ 'config.yml': 'a: 1\n' }).lines).toEqual([
      'config.yml: cannot tell which service reads this file: name it spinnaker-local.yml, gate-local.yml, orca-local.yml or settings-local.js, give a SpinnakerService manifest, or prefix the path with the service (gate=path/to/file.yml)',
    ]);
    expect(check({ 'config.yml': good['gate-local.yml'] }, ['gate=config.yml']).lines[0]).toMatch(/^config\.yml: spinnaker\.extensibility\.repositories\..* is missing/);
  });
});

describe('Orca URL restrictions (kork UrlRestrictions defaults)', () => {
  const refused = (url: string) => {
    const v = checkOrcaUrl(url, ORCA_DEFAULT_RULES);
    return v.ok ? 'accepted' : v.rule;
  };
  it('accepts dotted names outside the excluded domains', () => {
    expect(refused('http://cdaas-bridge.spinnaker.svc:7002')).toBe('accepted');
    expect(refused('https://bridge.example.com')).toBe('accepted');
  });
  it('refuses bare IPs, localhost, undotted names and the excluded domains', () => {
    expect(refused('http://10.0.0.7:7002')).toBe('verbatimIp');
    expect(refused('http://localhost:7002')).toBe('localhost');
    expect(refused('http://cdaas-bridge:7002')).toBe('allowedHostnamesRegex');
    expect(refused('http://cdaas-bridge.spinnaker.svc.cluster.local:7002')).toBe('excludedDomains');
    expect(refused('http://bridge.spinnaker')).toBe('excludedDomains');
    expect(refused('http://bridge.corp.internal')).toBe('excludedDomains');
    expect(refused('http://bridge.localdomain')).toBe('excludedDomains');
    expect(refused('ftp://bridge.example.com')).toBe('scheme');
  });
});

describe('npm run check-config (CLI)', () => {
  it('exits 0 on the guide\'s files and 1 naming the problem otherwise', async () => {
    const dir = tempDir('cli');
    const pluginsJson = writeFile(dir, 'plugins.json', JSON.stringify([{ id: info.id, releases: [{ version: info.version, date: '2026-11-24T00:00:00Z', requires: 'deck>=0.0.0', sha512sum: 'a'.repeat(128), url: 'x' }] }]));
    const files = Object.entries(goodSet).map(([name, text]) => writeFile(dir, name, text));
    const ok = await runCli('plugin-manifest/checkConfig/cli.ts', ['--', ...files, '--plugins-json', pluginsJson]);
    expect(ok.stdout).toBe('no problems in 4 file(s)\n');
    expect(ok.code).toBe(0);
    const gate = writeFile(dir, 'bad/gate-local.yml', 'spinnaker: {}\n');
    const bad = await runCli('plugin-manifest/checkConfig/cli.ts', [gate, '--plugins-json', pluginsJson]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`gate-local.yml: ${P}.enabled is missing: add \`enabled: true\``);
  });

  it('checks a pinned version against the published plugins.json when given its URL', async () => {
    const gh = await startFakeGitHub();
    try {
      gh.put('/raw/plugins.json', JSON.stringify([{ id: info.id, releases: [{ version: '0.0.1', date: '2026-11-24', requires: 'deck>=0.0.0', sha512sum: 'b'.repeat(128), url: 'x' }] }]));
      const dir = tempDir('cli-url');
      const files = Object.entries(goodSet).map(([name, text]) => writeFile(dir, name, text));
      const r = await runCli('plugin-manifest/checkConfig/cli.ts', [...files, '--plugins-json', `${gh.origin}/raw/plugins.json`]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${P}.version is ${info.version}, which is not in plugins.json (has: 0.0.1): Gate would serve the newest release, 0.0.1, instead`);
    } finally {
      await gh.close();
    }
  });
});
