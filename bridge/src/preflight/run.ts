/**
 * One preflight run: every group's checks at once, each step bounded by its timeout and the whole
 * run by a deadline under 10 s, so a blackholed host costs one timeout, not the sum of them.
 */
import http from 'node:http';
import https from 'node:https';

import axios from 'axios';

import { DEFAULT_BRIDGE_URL } from '@cdaas/contract/deploy';
import type { CheckResult, PreflightAnswer, PreflightGroup } from '@cdaas/contract/preflight';
import { PREFLIGHT_GROUPS, summarize } from '@cdaas/contract/preflight';
import type { PluginInfo } from '@cdaas/plugin-manifest/pluginInfo';
import { type CdaasClient, HttpCdaasClient } from '../cdaas/client';
import { type BridgeConfig, DEFAULT_READ_PORT } from '../config/config';
import { checkAgents } from './agents';
import { TimeoutError, result, withTimeout } from './checks';
import { type Endpoint, checkEndpoint } from './network';
import { checkPluginRepository, checkSpinnaker, checkoutPluginInfo, pluginTarget } from './plugin';
import { type Env, proxyFor, proxySettings, showProxy } from './proxy';
import { NO_RETRY, checkToken, preflightTokens } from './token';

/** The whole run's budget: below the 10 s the issue allows, with room to print. */
export const RUN_DEADLINE_MS = 9_000;

export interface PreflightOptions {
  config: BridgeConfig;
  /** HTTPS_PROXY, HTTP_PROXY, NO_PROXY are read from here. */
  env: Env;
  only?: PreflightGroup[];
  /** Extra Spinnaker config files (CLI --spinnaker-config), added to preflight.spinnakerConfigFiles. */
  spinnakerConfigFiles?: string[];
  /** Trust these CAs for the TLS checks instead of Node's (tests). */
  ca?: string[];
  /** Default: the checkout's package.json when there is one. */
  pluginInfo?: PluginInfo | null;
  /** Default: an HTTP client built from the config, as the bridge builds its own. */
  client?: CdaasClient;
  now?: () => number;
}

export function endpointsOf(config: BridgeConfig, pluginRepositoryUrl: string | undefined): Endpoint[] {
  const auth = config.cdaas.tokenUrl ?? config.cdaas.issuerUrl!;
  const list: Endpoint[] = [
    { name: 'auth', url: new URL(auth), requirement: 'Spinnaker and agents reach the auth server over HTTPS', setting: config.cdaas.tokenUrl ? 'cdaas.tokenUrl (env CDAAS_TOKEN_URL)' : 'cdaas.issuerUrl (env CDAAS_ISSUER_URL)' },
    { name: 'api', url: new URL(config.cdaas.apiBaseUrl), requirement: 'Spinnaker reaches the REST API over HTTPS', setting: 'cdaas.apiBaseUrl (env CDAAS_API_BASE_URL)' },
    {
      name: 'agentHub',
      url: new URL(config.preflight.agentHubUrl),
      requirement: 'Agents reach the Agent Hub over TLS gRPC (HTTP/2), checked from the bridge network',
      requireHttp2: true,
      setting: 'preflight.agentHubUrl (env CDAAS_AGENT_HUB_URL)',
    },
    { name: 'github', url: new URL(config.preflight.githubUrl), requirement: 'Spinnaker reaches GitHub over HTTPS for the plugin download', setting: 'preflight.githubUrl (env PREFLIGHT_GITHUB_URL)' },
  ];
  if (pluginRepositoryUrl) {
    list.push({ name: 'pluginRepository', url: new URL(pluginRepositoryUrl), requirement: 'Spinnaker reaches the plugin repository over HTTPS', setting: 'preflight.pluginRepositoryUrl (env PREFLIGHT_PLUGIN_REPOSITORY_URL)' });
  }
  return list;
}

function defaultClient(config: BridgeConfig, timeoutMs: number): CdaasClient {
  const agents = { httpAgent: new http.Agent(), httpsAgent: new https.Agent() };
  const tokens = preflightTokens(config, timeoutMs, axios.create(agents));
  return new HttpCdaasClient(axios.create({ baseURL: config.cdaas.apiBaseUrl, ...agents }), tokens, { retry: NO_RETRY, timeoutMs, clientName: 'cdaas-preflight' });
}

/** The proxy settings as found, and which endpoints go through a proxy. */
function proxyCheck(endpoints: Endpoint[], env: Env): CheckResult {
  const settings = proxySettings(env);
  const meta = { id: 'proxy:settings', group: 'proxy' as const, requirement: 'HTTPS_PROXY / NO_PROXY are valid and applied as intended' };
  if (settings.problems.length) {
    return result(meta, { state: 'fail', detail: settings.problems.join('; '), fix: 'set HTTPS_PROXY to http://<proxy host>:<port> (credentials, if any, as http://user:pass@host:port)' }, 0);
  }
  const routes = endpoints.map((e) => {
    const p = proxyFor(e.url, settings);
    return `${e.name}: ${p ? `via ${showProxy(p)}` : 'direct'}`;
  });
  const set = [settings.https && `HTTPS_PROXY=${showProxy(settings.https)}`, settings.http && `HTTP_PROXY=${showProxy(settings.http)}`, settings.noProxy.length && `NO_PROXY=${settings.noProxy.join(',')}`]
    .filter(Boolean)
    .join(' ');
  return result(meta, { state: 'pass', detail: `${set || 'no proxy set'}; ${routes.join(', ')}` }, 0);
}

/** Rows for a group that hit the run deadline: the group's requirement, named as timed out. */
const deadlineRow = (group: PreflightGroup, ms: number): CheckResult =>
  result({ id: `${group}:deadline`, group, requirement: `The ${group} checks finish within the run's ${ms} ms` }, { state: 'fail', detail: `not finished within ${ms} ms`, fix: 'a host in this group does not answer: see its network checks' }, ms);

export async function runPreflight(opts: PreflightOptions): Promise<PreflightAnswer> {
  const started = Date.now();
  const t0 = performance.now();
  const { config } = opts;
  const timeoutMs = Math.min(config.preflight.timeoutMs, RUN_DEADLINE_MS - 1_000);
  const only = new Set<PreflightGroup>(opts.only?.length ? opts.only : PREFLIGHT_GROUPS);
  const info = opts.pluginInfo === undefined ? checkoutPluginInfo() : opts.pluginInfo ?? undefined;
  const target = pluginTarget(config, info);
  const endpoints = endpointsOf(config, target.repositoryUrl);
  const proxy = proxySettings(opts.env);
  const client = opts.client ?? (only.has('agents') ? defaultClient(config, timeoutMs) : undefined);

  // The Spinnaker check names pinned versions against plugins.json: it waits for the plugin step.
  const plugin = only.has('plugin') || only.has('spinnaker') ? checkPluginRepository(target, timeoutMs) : undefined;
  const groups: [PreflightGroup, () => Promise<CheckResult[]>][] = [
    ['network', async () => (await Promise.all(endpoints.map((e) => checkEndpoint(e, { timeoutMs, proxy, ca: opts.ca, now: opts.now })))).flat()],
    ['proxy', async () => [proxyCheck(endpoints, opts.env)]],
    ['token', () => checkToken(config, timeoutMs, opts.now)],
    ['agents', () => checkAgents(client!, { timeoutMs, now: opts.now })],
    ['plugin', async () => (await plugin!).checks],
    [
      'spinnaker',
      async () => {
        const releases = (await plugin!).fetched?.plugin.releases ?? [];
        // The Gate proxy target check-config suggests: the default bridge host on the read port.
        const readUrl = new URL(DEFAULT_BRIDGE_URL);
        readUrl.port = String(config.read.port || DEFAULT_READ_PORT);
        return checkSpinnaker([...config.preflight.spinnakerConfigFiles, ...(opts.spinnakerConfigFiles ?? [])], info, readUrl.origin, releases);
      },
    ],
  ];
  const remaining = RUN_DEADLINE_MS - (performance.now() - t0);
  const results = await Promise.all(
    groups
      .filter(([g]) => only.has(g))
      .map(([g, run]) =>
        withTimeout(run(), remaining).catch((err: unknown) =>
          err instanceof TimeoutError ? [deadlineRow(g, RUN_DEADLINE_MS)] : [result({ id: `${g}:error`, group: g, requirement: `The ${g} checks run` }, { state: 'fail', detail: String(err) }, 0)],
        ),
      ),
  );
  const checks = results.flat();
  return { checkedAt: new Date(started).toISOString(), durationMs: Math.round(performance.now() - t0), summary: summarize(checks), checks };
}
