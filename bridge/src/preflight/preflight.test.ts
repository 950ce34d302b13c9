/**
 * Preflight's token, agent, plugin-repository and Spinnaker checks and its CLI, against loopback
 * stand-ins only: the CDaaS emulator (good credentials, a bad secret, a token without
 * read:infrastructure:data; a 1.15 cluster; no agent connected) and plugin-manifest's GitHub
 * stand-in serving a good and a tampered bundle.
 */
import { readFileSync } from 'node:fs';

import * as v from 'valibot';

import { type CheckResult, preflightAnswerSchema } from '@cdaas/contract/preflight';
import { formatJson, type PluginRelease } from '../../../plugin-manifest/core/pluginsJson';
import { packageBundle, sha512Hex } from '../../../plugin-manifest/package/packageBundle';
import { FIXTURE_INFO, type FakeGitHub, fixtureDist, startFakeGitHub, tempDir, writeFile } from '../../../plugin-manifest/testing/fixtures';
import { type Emulator, startEmulator } from '../../emulator/index';
import { bridgeEnv } from '../../test/harness';
import { loadConfig } from '../config/config';
import { type CliIo, preflightCli } from './cli';
import { runPreflight } from './run';

let emu: Emulator;
let badAgents: Emulator;
let noAgents: Emulator;
let gh: FakeGitHub;
let good: string;
let tampered: string;

const INFRA_CLIENT = { clientId: 'spinnaker-infra', clientSecret: 'infra-client-secret-for-tests-only', scopes: ['api:deployment:full', 'read:infrastructure:data'] };

function publish(name: string, bytes: Uint8Array, sha512: string): string {
  const prefix = `/raw/${name}/main/plugin-manifest`;
  const release: PluginRelease = {
    version: '1.2.0',
    date: '2026-11-24T21:00:00Z',
    requires: 'deck>=0.0.0',
    sha512sum: sha512,
    preferred: true,
    compatibility: [],
    url: gh.putReleaseAsset(`v1.2.0-${name}`, 'cdaas-spinnaker-plugin-1.2.0.zip', bytes),
  };
  gh.put(`${prefix}/plugins.json`, formatJson([{ id: FIXTURE_INFO.id, description: FIXTURE_INFO.description, provider: FIXTURE_INFO.provider, releases: [release] }]));
  gh.put(`${prefix}/repositories.json`, formatJson([{ id: 'cdaas-spinnaker-plugin', url: `${gh.origin}${prefix}/repositories.json` }]));
  return `${gh.origin}${prefix}/repositories.json`;
}

beforeAll(async () => {
  [emu, badAgents, noAgents, gh] = await Promise.all([
    startEmulator({ clients: [{ ...INFRA_CLIENT }, { clientId: 'spinnaker-deploy-only', clientSecret: 'deploy-only-secret-for-tests', scopes: ['api:deployment:full'] }] }),
    startEmulator({ agents: [{ agentIdentifier: 'prod', kubernetesVersion: '1.29.4' }, { agentIdentifier: 'legacy', kubernetesVersion: 'v1.15.12' }] }),
    startEmulator({ agents: [] }),
    startFakeGitHub(),
  ]);
  const bundle = new Uint8Array(readFileSync(packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist(), outDir: tempDir('bundle'), env: {} }).bundlePath));
  good = publish('good', bundle, sha512Hex(bundle));
  // The asset was replaced after plugins.json recorded its checksum.
  const altered = bundle.slice();
  altered[altered.length - 30] ^= 0xff;
  tampered = publish('tampered', altered, sha512Hex(bundle));
});
afterAll(async () => {
  await Promise.all([emu, badAgents, noAgents, gh].map((s) => s?.close()));
});

const configFor = (e: Emulator, extra: Record<string, string> = {}) => loadConfig(bridgeEnv(e, extra), undefined);
const rows = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.id, c]));

describe('preflight: token', () => {
  it('passes the exchange and both scopes for a credential granted them; prints neither secret nor token', async () => {
    const config = configFor(emu);
    const answer = await runPreflight({ config, env: {}, only: ['token'], pluginInfo: null });
    const r = rows(answer.checks);
    expect(r['token:exchange']).toMatchObject({ state: 'pass', detail: expect.stringMatching(/^token issued to client spinnaker-infra, expires in 24 h; roles: Deployments Full Access$/) });
    expect(r['token:scope:deploy'].state).toBe('pass');
    expect(r['token:scope:infrastructure']).toMatchObject({ state: 'pass', detail: 'granted (scopes: api:deployment:full, read:infrastructure:data)' });
    const text = JSON.stringify(answer);
    expect(text).not.toContain(INFRA_CLIENT.clientSecret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });

  it('fails read:infrastructure:data for a token missing that scope, naming the credential', async () => {
    const config = configFor(emu, { CDAAS_CLIENT_ID: 'spinnaker-deploy-only', CDAAS_CLIENT_SECRET: 'deploy-only-secret-for-tests' });
    const r = rows((await runPreflight({ config, env: {}, only: ['token'], pluginInfo: null })).checks);
    expect(r['token:scope:deploy'].state).toBe('pass');
    expect(r['token:scope:infrastructure']).toMatchObject({
      state: 'fail',
      detail: 'not granted (scopes: api:deployment:full)',
      fix: "grant read:infrastructure:data to credential spinnaker-deploy-only in the CD-as-a-Service console, or Deck's agents and cluster views stay empty",
    });
  });

  it('fails the exchange for a bad secret with the fix naming the secret settings, never the secret', async () => {
    const config = configFor(emu, { CDAAS_CLIENT_SECRET: 'not-the-right-secret-value' });
    const answer = await runPreflight({ config, env: {}, only: ['token'], pluginInfo: null });
    const r = rows(answer.checks);
    expect(r['token:exchange'].state).toBe('fail');
    expect(r['token:exchange'].detail).toMatch(/HTTP 401: invalid_client/);
    expect(r['token:exchange'].fix).toContain('set CDAAS_CLIENT_SECRET / CDAAS_CLIENT_SECRET_FILE');
    expect(r['token:scope:deploy'].state).toBe('skip');
    expect(JSON.stringify(answer)).not.toContain('not-the-right-secret-value');
  });
});

describe('preflight: agents', () => {
  it('fails a cluster older than Kubernetes 1.16, naming the requirement, and passes the others', async () => {
    const r = rows((await runPreflight({ config: configFor(badAgents), env: {}, only: ['agents'], pluginInfo: null })).checks);
    expect(r['agents:connected']).toMatchObject({ state: 'pass', detail: '2 connected: legacy, prod' });
    expect(r['agents:legacy:kubernetes']).toMatchObject({
      state: 'fail',
      requirement: 'The cluster runs Kubernetes 1.16 or later',
      detail: 'Kubernetes v1.15.12 is older than 1.16',
      fix: 'upgrade cluster legacy to Kubernetes 1.16 or later: CD-as-a-Service does not deploy to older clusters',
    });
    expect(r['agents:prod:kubernetes']).toMatchObject({ state: 'pass', detail: 'Kubernetes 1.29.4' });
    expect(r['agents:prod:heartbeat'].state).toBe('pass');
  });

  it('warns on a stale heartbeat', async () => {
    const later = () => Date.now() + 10 * 60_000;
    const r = rows((await runPreflight({ config: configFor(badAgents), env: {}, only: ['agents'], pluginInfo: null, now: later })).checks);
    expect(r['agents:prod:heartbeat']).toMatchObject({ state: 'warn', detail: expect.stringMatching(/^last heartbeat 60\d s ago \(stale after 120 s\)$/) });
    expect(r['agents:prod:heartbeat'].fix).toContain('agent-hub.cloud.armory.io:443');
  });

  it('fails when no agent is connected, with the install hint', async () => {
    const r = rows((await runPreflight({ config: configFor(noAgents), env: {}, only: ['agents'], pluginInfo: null })).checks);
    expect(r['agents:connected']).toMatchObject({ state: 'fail', detail: 'no agent is connected: nothing can be deployed to' });
    expect(r['agents:connected'].fix).toMatch(/^install the Remote Network Agent in each target cluster/);
  });
});

describe('preflight: plugin repository and Spinnaker config', () => {
  it('passes a release whose bundle matches its SHA-512', async () => {
    const config = configFor(emu, { PREFLIGHT_PLUGIN_REPOSITORY_URL: good, PREFLIGHT_PLUGIN_ID: FIXTURE_INFO.id });
    const r = rows((await runPreflight({ config, env: {}, only: ['plugin'], pluginInfo: null })).checks);
    expect(r['plugin:manifest'].state).toBe('pass');
    expect(r['plugin:bundle']).toMatchObject({ state: 'pass', detail: expect.stringMatching(/^release 1\.2\.0: \d+ bytes from .*, SHA-512 matches$/) });
  });

  it('fails a tampered bundle with the re-upload fix', async () => {
    const config = configFor(emu, { PREFLIGHT_PLUGIN_REPOSITORY_URL: tampered, PREFLIGHT_PLUGIN_ID: FIXTURE_INFO.id });
    const r = rows((await runPreflight({ config, env: {}, only: ['plugin'], pluginInfo: null })).checks);
    expect(r['plugin:manifest'].state).toBe('pass');
    expect(r['plugin:bundle'].state).toBe('fail');
    expect(r['plugin:bundle'].detail).toMatch(/^SHA-512 mismatch for /);
    expect(r['plugin:bundle'].fix).toMatch(/^the bundle does not match plugins.json: re-upload the release asset/);
  });

  it('fails a pinned version plugins.json does not list', async () => {
    const config = configFor(emu, { PREFLIGHT_PLUGIN_REPOSITORY_URL: good, PREFLIGHT_PLUGIN_ID: FIXTURE_INFO.id, PREFLIGHT_PLUGIN_VERSION: '9.9.9' });
    const r = rows((await runPreflight({ config, env: {}, only: ['plugin'], pluginInfo: null })).checks);
    expect(r['plugin:bundle']).toMatchObject({ state: 'fail', detail: expect.stringContaining('has no release 9.9.9') });
  });

  it("turns check-config's findings on a gate-local.yml into rows naming the file, each with its fix", async () => {
    const dir = tempDir('spin');
    const gate = writeFile(dir, 'gate-local.yml', 'proxies:\n  - id: other\n    uri: http://other.example.com\n');
    const config = configFor(emu, { PREFLIGHT_PLUGIN_REPOSITORY_URL: good });
    const answer = await runPreflight({ config, env: {}, only: ['spinnaker'], pluginInfo: FIXTURE_INFO, spinnakerConfigFiles: [gate] });
    const fails = answer.checks.filter((c) => c.state === 'fail');
    expect(fails.length).toBeGreaterThan(0);
    const proxy = fails.find((c) => c.detail === 'proxies (id cdaas) is missing');
    expect(proxy).toMatchObject({ target: gate, fix: expect.stringContaining('add `- id: cdaas` with `uri: http://cdaas-bridge.spinnaker.svc:7001`') });
    expect(fails.map((c) => c.detail)).toContain('spinnaker.extensibility.deck-proxy.plugins.Armory.CDaaSSpinnaker.enabled is missing');
  });
});

describe('cdaas-preflight CLI', () => {
  const io = (env: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const cli: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), env, overrides: { pluginInfo: null } };
    return { cli, out, err };
  };

  it('prints JSON the contract schema reads, exit 1 when a check fails', async () => {
    const { cli, out } = io(bridgeEnv(noAgents));
    expect(await preflightCli(['--json', '--only', 'agents,proxy'], cli)).toBe(1);
    const answer = v.parse(preflightAnswerSchema, JSON.parse(out.join('')));
    expect(answer.checks.map((c) => c.group)).toEqual(['proxy', 'agents']);
    expect(answer.summary).toMatchObject({ fail: 1, pass: 1 });
  });

  it('prints a table with the fix under each failure; exit 0 when nothing fails', async () => {
    const { cli, out } = io(bridgeEnv(noAgents));
    expect(await preflightCli(['--only', 'agents'], cli)).toBe(1);
    const table = out.join('\n');
    expect(table).toMatch(/^FAIL {3}agents:connected +no agent is connected: nothing can be deployed to$/m);
    expect(table).toMatch(/^ +fix: install the Remote Network Agent/m);
    expect(table).toMatch(/1 failed, 0 warning\(s\), 0 passed, 0 skipped in \d+\.\d s$/);

    const ok = io(bridgeEnv(emu, { CDAAS_CLIENT_ID: INFRA_CLIENT.clientId, CDAAS_CLIENT_SECRET: INFRA_CLIENT.clientSecret }));
    expect(await preflightCli(['--only', 'token'], ok.cli)).toBe(0);
    expect(ok.out.join('\n')).not.toContain(INFRA_CLIENT.clientSecret);
  });

  it('exits 2 on bad usage and on a bad setting, naming it', async () => {
    const bad = io(bridgeEnv(emu));
    expect(await preflightCli(['--only', 'dns'], bad.cli)).toBe(2);
    expect(bad.err.join('')).toBe('cdaas-preflight: --only: unknown group dns (groups: network, proxy, token, agents, plugin, spinnaker)');
    const flag = io(bridgeEnv(emu));
    expect(await preflightCli(['--colour'], flag.cli)).toBe(2);
    expect(flag.err.join('')).toMatch(/^cdaas-preflight: Unknown option '--colour'/);
    const setting = io(bridgeEnv(emu, { PREFLIGHT_TIMEOUT_MS: 'soon' }));
    expect(await preflightCli([], setting.cli)).toBe(2);
    expect(setting.err.join('')).toContain('preflight.timeoutMs (env PREFLIGHT_TIMEOUT_MS): expected number, got "soon"');
  });
});
