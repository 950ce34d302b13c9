// The bridge, measured against baselines in the same run, over loopback against a stub CDaaS
// (token endpoint + API on one node:http server, answers fixed, so only the bridge's own cost shows):
// - token requests caused by 1,000 concurrent API calls on a cold start (baseline: a token source
//   that caches but does not single-flight);
// - latency the read listener adds over calling the upstream directly (p50/p95), with the TTL
//   cache off (every request goes upstream) and on (cache hits); baseline: the direct call;
// - upstream calls caused by 100 Deck users polling one resource for 60 s on a simulated clock
//   (the bridge gets a fake `now`; requests of one 100 ms tick are sent concurrently), baseline:
//   every poll forwarded (no cache, no coalescing);
// - upstream starts caused by 1,000 concurrent duplicate starts of one stage spread over three
//   replicas sharing Redis (baseline: three replicas each with the in-memory store, as the bridge
//   was before it shared its state);
// - the latency the Redis store adds to a start (p50/p95 of sequential starts of new stages),
//   beside the same starts on the in-memory store; a real redis-server on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import axios from 'axios';

import { ClientCredentialsTokenSource, type TokenSource } from '../../../bridge/src/auth/tokenSource';
import { HttpCdaasClient } from '../../../bridge/src/cdaas/client';
import { loadConfig, startBridge } from '../../../bridge/src/index';
import { startRedis } from '../../../bridge/test/redis';
import type { BenchRow } from '../types';

const AGENT = 'bench-cluster';
const DEPLOYMENTS = {
  items: Array.from({ length: 20 }, (_, i) => ({
    namespace: 'payments',
    name: `service-${i}`,
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    images: [`registry.example.com/payments/service-${i}:1.${i}.0`],
    revision: String(i + 1),
    createdAtIso8601: '2026-11-01T09:00:00Z',
  })),
};
const DEPLOYMENTS_JSON = JSON.stringify(DEPLOYMENTS);

async function stubUpstream() {
  const counts = { token: 0, deployments: 0, starts: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/pipelines/kubernetes') {
      const id = `p-${++counts.starts}`;
      req.resume();
      // A start takes CDaaS a moment: duplicates overlap it, as Orca's retries overlap a slow start.
      setTimeout(() => {
        res.writeHead(202, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ pipelineId: id, warnings: [] }));
      }, 20);
      return;
    }
    if (req.method === 'GET' && req.url?.startsWith('/pipelines/p-')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: req.url.slice('/pipelines/'.length), status: 'RUNNING', steps: [] }));
      return;
    }
    if (req.method === 'POST' && req.url === '/oauth/token') {
      counts.token++;
      req.resume();
      // A little latency, as a real auth server has, so concurrent callers overlap the exchange.
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'stub-token', expires_in: 86400, token_type: 'Bearer' }));
      }, 5);
      return;
    }
    if (req.headers.authorization !== 'Bearer stub-token') {
      res.writeHead(401).end();
      return;
    }
    if (req.url === `/agents/${AGENT}/kubernetes/deployments`) {
      counts.deployments++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(DEPLOYMENTS_JSON);
      return;
    }
    if (req.url === '/identity/connected-agents') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ agentIdentifier: AGENT }]));
      return;
    }
    res.writeHead(404).end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, counts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** What a token source without single-flight does: cache, but every caller who finds none exchanges. */
class NaiveTokenSource implements TokenSource {
  private cached?: string;
  constructor(private readonly tokenUrl: string) {}
  async getToken(): Promise<string> {
    if (this.cached) return this.cached;
    const res = await axios.post<{ access_token: string }>(this.tokenUrl, 'grant_type=client_credentials', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    this.cached = res.data.access_token;
    return this.cached;
  }
  invalidate(): void {
    this.cached = undefined;
  }
  principal() {
    return undefined;
  }
}

const retry = { retries: 0, baseMs: 10, maxDelayMs: 100 };

async function tokenRequestsPer1000(upstream: Awaited<ReturnType<typeof stubUpstream>>, naive: boolean): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const before = upstream.counts.token;
  const tokens = naive
    ? new NaiveTokenSource(`${upstream.url}/oauth/token`)
    : new ClientCredentialsTokenSource(axios.create({ httpAgent: agent }), {
        clientId: 'bench',
        clientSecret: 'bench-secret',
        audience: 'https://api.cloud.armory.io',
        tokenUrl: `${upstream.url}/oauth/token`,
        retry,
      });
  const client = new HttpCdaasClient(axios.create({ baseURL: upstream.url, httpAgent: agent }), tokens, { retry, timeoutMs: 30_000 });
  await Promise.all(Array.from({ length: 1000 }, () => client.connectedAgents()));
  agent.destroy();
  return upstream.counts.token - before;
}

/** Sequential GETs with one keep-alive client; returns per-request milliseconds. */
export async function timeGets(url: string, n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent, headers }, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
        })
        .on('error', reject);
    });
  try {
    return await timeCalls(get, n, 200);
  } finally {
    agent.destroy();
  }
}

/** Milliseconds per call of `fn`, one after another, after `warmup` untimed calls. */
export async function timeCalls(fn: () => Promise<void>, n: number, warmup = 30): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
export const round = (x: number) => Math.round(x * 1000) / 1000;

function bridgeEnv(upstreamUrl: string, ttlMs: number, extra: Record<string, string> = {}) {
  return {
    ...extra,
    CDAAS_CLIENT_ID: 'bench',
    CDAAS_CLIENT_SECRET: 'bench-secret',
    CDAAS_TOKEN_URL: `${upstreamUrl}/oauth/token`,
    CDAAS_API_BASE_URL: upstreamUrl,
    BRIDGE_READ_HOST: '127.0.0.1',
    BRIDGE_READ_PORT: '0',
    BRIDGE_DEPLOY_HOST: '127.0.0.1',
    BRIDGE_DEPLOY_PORT: '0',
    BRIDGE_READ_CACHE_TTL_MS: String(ttlMs),
    LOG_LEVEL: 'error',
  };
}

export async function waitReady(readUrl: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${readUrl}/readyz`);
    const body = (await res.json()) as { store?: { ok: boolean } };
    // Ready means a token; a start also needs the state store connected.
    if (res.ok && body.store?.ok !== false) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('bridge did not become ready');
}

export async function run(): Promise<BenchRow[]> {
  const upstream = await stubUpstream();
  const rows: BenchRow[] = [];
  try {
    // 1. Token requests per 1,000 concurrent API calls.
    const naive = await tokenRequestsPer1000(upstream, true);
    const single = await tokenRequestsPer1000(upstream, false);
    rows.push({ name: 'token requests per 1,000 concurrent API calls (cold start)', value: single, unit: 'requests', baseline: { name: 'no single-flight', value: naive }, target: '1' });

    // 2. Latency the read listener adds on loopback.
    const N = 3000;
    const path = `/agents/${AGENT}/kubernetes/deployments`;
    const direct = await timeGets(upstream.url + path, N, { Authorization: 'Bearer stub-token' });
    const uncachedBridge = await startBridge(loadConfig(bridgeEnv(upstream.url, 0), undefined), { logSink: () => undefined });
    const cachedBridge = await startBridge(loadConfig(bridgeEnv(upstream.url, 5000), undefined), { logSink: () => undefined });
    try {
      await waitReady(uncachedBridge.readUrl);
      await waitReady(cachedBridge.readUrl);
      const before = upstream.counts.deployments;
      const viaUncached = await timeGets(`${uncachedBridge.readUrl}/v1/clusters/${AGENT}/deployments`, N);
      const uncachedUpstreamCalls = upstream.counts.deployments - before;
      if (uncachedUpstreamCalls < N) throw new Error(`uncached run made only ${uncachedUpstreamCalls} upstream calls for ${N} requests`);
      const viaCached = await timeGets(`${cachedBridge.readUrl}/v1/clusters/${AGENT}/deployments`, N);
      const d50 = pct(direct, 50);
      const d95 = pct(direct, 95);
      rows.push(
        { name: 'read listener added latency p50, uncached (TTL 0: every request upstream)', value: round(pct(viaUncached, 50) - d50), unit: 'ms', baseline: { name: 'direct upstream call p50', value: round(d50) }, target: '<= 1 ms' },
        { name: 'read listener added latency p95, uncached', value: round(pct(viaUncached, 95) - d95), unit: 'ms', baseline: { name: 'direct upstream call p95', value: round(d95) } },
        { name: 'read listener latency p50, cached (TTL 5 s, cache hit)', value: round(pct(viaCached, 50)), unit: 'ms', baseline: { name: 'direct upstream call p50', value: round(d50) } },
      );
    } finally {
      await uncachedBridge.close();
      await cachedBridge.close();
    }

    // 3. 100 Deck users polling one resource for 60 s, on a simulated clock.
    const USERS = 100;
    const PERIOD_MS = 5000;
    const DURATION_MS = 60_000;
    const TICK_MS = 100;
    const TTL_MS = 5000;
    const phases = Array.from({ length: USERS }, (_, i) => Math.floor((i * PERIOD_MS) / USERS / TICK_MS) * TICK_MS);
    let now = 0;
    const sim = await startBridge(loadConfig(bridgeEnv(upstream.url, TTL_MS), undefined), { logSink: () => undefined, now: () => now });
    const agent = new http.Agent({ keepAlive: true, maxSockets: USERS });
    const poll = (url: string) =>
      new Promise<void>((resolve, reject) => {
        http.get(url, { agent }, (res) => (res.resume(), res.on('end', resolve))).on('error', reject);
      });
    let withBridge = 0;
    let polls = 0;
    try {
      await waitReady(sim.readUrl);
      const before = upstream.counts.deployments;
      for (now = 0; now < DURATION_MS; now += TICK_MS) {
        const due = phases.filter((p) => now >= p && (now - p) % PERIOD_MS === 0);
        polls += due.length;
        await Promise.all(due.map(() => poll(`${sim.readUrl}/v1/clusters/${AGENT}/deployments`)));
      }
      withBridge = upstream.counts.deployments - before;
    } finally {
      agent.destroy();
      await sim.close();
    }
    // Baseline: every poll forwarded upstream, as a pass-through proxy would.
    const passAgent = new http.Agent({ keepAlive: true, maxSockets: USERS });
    const passClient = new HttpCdaasClient(
      axios.create({ baseURL: upstream.url, httpAgent: passAgent }),
      new ClientCredentialsTokenSource(axios.create({ httpAgent: passAgent }), { clientId: 'bench', clientSecret: 'bench-secret', audience: 'x', tokenUrl: `${upstream.url}/oauth/token`, retry }),
      { retry, timeoutMs: 30_000 },
    );
    const beforePass = upstream.counts.deployments;
    for (let t = 0; t < DURATION_MS; t += TICK_MS) {
      const due = phases.filter((p) => t >= p && (t - p) % PERIOD_MS === 0);
      await Promise.all(due.map(() => passClient.deployments(AGENT)));
    }
    const passThrough = upstream.counts.deployments - beforePass;
    passAgent.destroy();
    rows.push({
      name: `upstream calls: ${USERS} Deck users polling one resource every ${PERIOD_MS / 1000} s for ${DURATION_MS / 1000} s (${polls} polls; simulated clock, ${TICK_MS} ms ticks, TTL ${TTL_MS / 1000} s)`,
      value: withBridge,
      unit: 'calls',
      baseline: { name: 'no cache, no coalescing', value: passThrough },
      target: `<= ${Math.ceil(DURATION_MS / TTL_MS) + 1} (one per TTL)`,
    });
    rows.push(...(await stateRows(upstream)));
  } finally {
    await upstream.close();
  }
  return rows;
}

const START_BODY = (executionId: string) =>
  JSON.stringify({
    contractVersion: 'v1',
    deployment: {
      version: 'v1',
      kind: 'kubernetes',
      application: 'bench',
      targets: { prod: { account: AGENT, namespace: 'bench', strategy: 'rolling' } },
      manifests: [{ path: 'm.yml' }],
      strategies: { rolling: { canary: { steps: [{ setWeight: { weight: 100 } }] } } },
    },
    files: { 'm.yml': ['apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bench\n'] },
    artifacts: [],
    context: { application: 'bench', executionId, stageRefId: '1' },
  });

function postStart(agent: http.Agent, deployUrl: string, executionId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = START_BODY(executionId);
    const req = http.request(`${deployUrl}/v1/executions/${executionId}/stages/1/deployment`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 202 ? resolve(res.statusCode) : reject(new Error(`start: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function stateRows(upstream: Awaited<ReturnType<typeof stubUpstream>>): Promise<BenchRow[]> {
  const redis = await startRedis();
  const rows: BenchRow[] = [];
  const replicas = async (n: number, store: Record<string, string>) => {
    const list = await Promise.all(Array.from({ length: n }, () => startBridge(loadConfig(bridgeEnv(upstream.url, 0, store), undefined), { logSink: () => undefined })));
    for (const b of list) await waitReady(b.readUrl);
    return list;
  };
  const redisStore = (prefix: string) => ({ BRIDGE_STATE_STORE: 'redis', BRIDGE_REDIS_URL: redis.url, BRIDGE_REDIS_KEY_PREFIX: prefix });
  try {
    // 1,000 concurrent duplicate starts of one stage, spread round-robin over three replicas.
    const duplicates = async (store: (i: number) => Record<string, string>) => {
      const list = await Promise.all([0, 1, 2].map(async (i) => (await replicas(1, store(i)))[0]));
      const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
      const before = upstream.counts.starts;
      try {
        await Promise.all(Array.from({ length: 1000 }, (_, i) => postStart(agent, list[i % 3].deployUrl, '01JBENCHDUPLICATE')));
        return upstream.counts.starts - before;
      } finally {
        agent.destroy();
        await Promise.all(list.map((b) => b.close()));
      }
    };
    const shared = await duplicates(() => redisStore('bench-dup:'));
    const separate = await duplicates(() => ({ BRIDGE_STATE_STORE: 'memory' }));
    rows.push({ name: 'upstream starts for 1,000 concurrent duplicate starts over 3 replicas sharing Redis', value: shared, unit: 'starts', baseline: { name: '3 replicas, each its own in-memory store', value: separate }, target: '1' });

    // Latency of a start on each store: sequential starts of new stages, one keep-alive client
    // per bridge, alternating between the two so both see the same machine load.
    const [memoryBridge] = await replicas(1, { BRIDGE_STATE_STORE: 'memory' });
    const [redisBridge] = await replicas(1, redisStore('bench-lat:'));
    const memory: number[] = [];
    const viaRedis: number[] = [];
    const agents = [new http.Agent({ keepAlive: true, maxSockets: 1 }), new http.Agent({ keepAlive: true, maxSockets: 1 })];
    try {
      for (let i = 0; i < 550; i++) {
        for (const [j, b, out] of [[0, memoryBridge, memory], [1, redisBridge, viaRedis]] as const) {
          const t = process.hrtime.bigint();
          await postStart(agents[j], b.deployUrl, `01JTIME${j}N${i}`);
          // The first 50 warm up connections and code paths.
          if (i >= 50) out.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }
    } finally {
      for (const a of agents) a.destroy();
      await Promise.all([memoryBridge.close(), redisBridge.close()]);
    }
    rows.push(
      { name: 'start latency added by the Redis store, p50 (sequential starts of new stages, loopback Redis)', value: round(pct(viaRedis, 50) - pct(memory, 50)), unit: 'ms', baseline: { name: 'start p50 on the in-memory store', value: round(pct(memory, 50)) } },
      { name: 'start latency added by the Redis store, p95', value: round(pct(viaRedis, 95) - pct(memory, 95)), unit: 'ms', baseline: { name: 'start p95 on the in-memory store', value: round(pct(memory, 95)) } },
    );
  } finally {
    await redis.close();
  }
  return rows;
}
