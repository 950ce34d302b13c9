/**
 * A Gate stand-in for the sandbox and the end-to-end tests: the endpoints the real Deck UI calls
 * to show an application's pipelines, edit one, save it and show its executions, plus Deck plugin
 * serving and the `cdaas` proxy, on a loopback port.
 *
 * Data is in memory: fixtures in, saved pipelines and sandbox executions recorded so tests can
 * read exactly what Deck sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { closeServer, listen, LOOPBACK, readJson, sendFile, sendJson } from '../lib/http';
import { pluginIdentity } from '../lib/plugin';
import { defaultFixtures, type GateFixtures, type PipelineConfig, type PipelineExecution } from './fixtures';
import { forwardToProxy } from './proxy';

/** Runs a triggered pipeline. It registers the execution it returns and updates it in place. */
export interface PipelineRunner {
  start(pipeline: PipelineConfig, trigger: Record<string, unknown>, user: string): PipelineExecution;
  /** Asks a running execution to stop (Deck's cancel); false when it is not running. */
  cancel(executionId: string, reason?: string): boolean;
}

export interface GateOptions {
  /** Folder holding the built plugin (index.js, index.js.map), served as Gate's deck-proxy does. */
  pluginDir: string;
  /**
   * Optional: also serve the Deck shell from this origin (one-origin mode). The sandbox and the
   * tests serve it from its own origin instead, as Deck and Gate are in a real install.
   */
  deckShellDir?: string;
  /** Gate `proxies:` entries by id: the upstream base URI. */
  proxies?: { cdaas?: string };
  fixtures?: GateFixtures;
  runner?: PipelineRunner;
  port?: number;
  host?: string;
  /** Serve no Deck plugin (an empty manifest): the baseline of the boot benchmark. */
  withoutPlugin?: boolean;
  /** Called for each request Gate does not know, so tests and the sandbox can report them. */
  onUnknown?: (method: string, path: string) => void;
  /** Called after each pipeline save or delete with every config (the sandbox keeps them in a file). */
  onPipelinesChanged?: (configs: PipelineConfig[]) => Promise<void>;
  /**
   * Users one may sign in as (`GET /sandbox/sign-in?user=...`), beside the fixtures' user who is
   * signed in at start. Real Gate signs users in through its authentication provider instead.
   */
  users?: string[];
  /** Play a Gate older than 1.31: the proxy names no user upstream. */
  withoutUserHeader?: boolean;
}

export interface SavedPipeline {
  at: number;
  /** `staleCheck` query parameter Deck sent. */
  staleCheck: boolean;
  pipeline: PipelineConfig;
}

export interface GateHandle {
  url: string;
  port: number;
  /** Every POST /pipelines body, in order. */
  savedPipelines: SavedPipeline[];
  /** Every trigger call (POST /pipelines/v2/{app}/{name}). */
  triggers: Array<{ application: string; pipelineName: string; body: unknown }>;
  /** Executions by id: fixtures plus the ones the runner started. */
  executions: Map<string, PipelineExecution>;
  pipelineConfigs: PipelineConfig[];
  unknownRequests: string[];
  /** Who Gate says is signed in (`/auth/user`, and X-SPINNAKER-USER on what it proxies). */
  readonly user: string;
  signIn(user: string): void;
  close(): Promise<void>;
}

const ACTIVE = new Set(['RUNNING', 'PAUSED', 'SUSPENDED', 'NOT_STARTED', 'BUFFERED']);

function cors(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  // Deck sends credentials (withCredentials) and a custom X-RateLimit-App header: Gate's CORS
  // filter echoes the allowed origin and allows credentials.
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'X-Proxy-Status-Code, X-Proxy-Url, Content-Type',
    vary: 'Origin',
  };
}

function notFound(res: ServerResponse, headers: Record<string, string>, message: string): void {
  sendJson(res, 404, { error: 'Not Found', message, status: 404, timestamp: Date.now() }, headers);
}

/**
 * Orca's answer with `expand=false` (what Deck's execution list asks for): stages without context,
 * outputs or tasks (only a context `group` is kept). Deck fetches /pipelines/{id} when a user opens
 * the details, so views must work from the hydrated execution, as they do against real Orca.
 */
function unexpand(e: PipelineExecution): PipelineExecution {
  return {
    ...e,
    stages: e.stages.map((s) => ({
      ...s,
      context: s.context.group !== undefined ? { group: s.context.group } : {},
      outputs: {},
      tasks: [],
    })),
  };
}

/** Orca's execution list (/applications/{app}/pipelines): newest first, optionally filtered. */
function listExecutions(all: PipelineExecution[], app: string, q: URLSearchParams): PipelineExecution[] {
  const statuses = (q.get('statuses') ?? '').split(',').filter(Boolean).map((s) => s.toUpperCase());
  const configIds = (q.get('pipelineConfigIds') ?? '').split(',').filter(Boolean);
  const limit = Number(q.get('limit') ?? 0) || Infinity;
  const byConfig = new Map<string, number>();
  return all
    .filter((e) => e.application === app)
    .filter((e) => !statuses.length || statuses.includes(e.status))
    .filter((e) => !configIds.length || configIds.includes(e.pipelineConfigId))
    .sort((a, b) => b.buildTime - a.buildTime)
    .filter((e) => {
      // Orca applies `limit` per pipeline config.
      const n = (byConfig.get(e.pipelineConfigId) ?? 0) + 1;
      byConfig.set(e.pipelineConfigId, n);
      return n <= limit;
    });
}

export async function startGate(opts: GateOptions): Promise<GateHandle> {
  const fixtures = opts.fixtures ?? defaultFixtures();
  const plugin = pluginIdentity();
  const savedPipelines: SavedPipeline[] = [];
  const triggers: GateHandle['triggers'] = [];
  const unknownRequests: string[] = [];
  const executions = new Map(fixtures.executions.map((e) => [e.id, e]));
  const pipelineConfigs = fixtures.pipelineConfigs;
  let selfUrl = '';
  // One signed-in user for the whole sandbox: it runs on one person's machine.
  let user = fixtures.user.username;
  const users = new Set([fixtures.user.username, ...(opts.users ?? [])]);

  const app = (name: string) => fixtures.applications.find((a) => a.name.toLowerCase() === name.toLowerCase());

  async function route(req: IncomingMessage, res: ServerResponse, h: Record<string, string>): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gate.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        ...h,
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }

    // Gate's deck-proxy plugin serving.
    if (path === '/plugins/deck/plugin-manifest.json') {
      sendJson(res, 200, opts.withoutPlugin ? [] : [{ id: plugin.id, version: plugin.version }], h);
      return;
    }
    if (parts[0] === 'plugins' && parts[1] === 'deck' && parts.length === 5) {
      const [, , id, version, file] = parts;
      // Like Gate's DeckPluginService: any top-level file of the extracted deck.zip (index.js, its
      // chunks, their maps); one path segment, as `{asset:.*}` is matched here.
      if (id === plugin.id && version === plugin.version && /^[\w.-]+$/.test(file) && !file.startsWith('.')) {
        // no-cache, unlike Gate's 30 days: the sandbox rebuilds the same version over and over.
        if (await sendFile(res, opts.pluginDir, file, { ...h, 'cache-control': 'no-cache' })) return;
        notFound(res, h, `plugin file ${file} not built (run npm run build)`);
        return;
      }
      notFound(res, h, `no Deck plugin ${id} ${version}`);
      return;
    }

    if (parts[0] === 'proxies') {
      const id = parts[1] ?? '';
      const uri = id === 'cdaas' ? opts.proxies?.cdaas : undefined;
      if (!uri) {
        notFound(res, h, `No proxy config found with id '${id}'`);
        return;
      }
      const rest = path.slice(`/proxies/${parts[1]}`.length);
      await forwardToProxy({ id, uri }, rest, url.search, req, res, h, opts.withoutUserHeader ? undefined : user);
      return;
    }

    // The sandbox's sign-in (real Gate: its authentication provider's login), then back to Deck.
    if (method === 'GET' && path === '/sandbox/sign-in') {
      const wanted = url.searchParams.get('user') ?? '';
      if (!users.has(wanted)) return sendJson(res, 400, { error: 'Bad Request', message: `user: one of ${[...users].join(', ')}`, status: 400 }, h);
      user = wanted;
      const next = url.searchParams.get('next') ?? '';
      // Back to a loopback page only: never an open redirect.
      if (/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(next)) {
        res.writeHead(302, { ...h, location: next, 'content-length': 0 });
        res.end();
        return;
      }
      return sendJson(res, 200, { signedIn: user }, h);
    }

    if (method === 'GET') {
      if (path === '/auth/user') {
        const names = user === fixtures.user.username ? {} : { firstName: undefined, lastName: undefined };
        return sendJson(res, 200, { ...fixtures.user, ...names, username: user, email: user }, h);
      }
      if (path === '/applications') return sendJson(res, 200, fixtures.applications, h);
      if (path === '/credentials') return sendJson(res, 200, fixtures.credentials, h);
      if (path === '/artifacts/credentials') return sendJson(res, 200, fixtures.artifactAccounts, h);
      // Deck asks before showing triggers; no quiet period in the sandbox.
      if (path === '/capabilities/quietPeriod') return sendJson(res, 200, { enabled: false, startTime: -1, endTime: -1 }, h);
      if (path === '/securityGroups') return sendJson(res, 200, {}, h);
      // Deck's top-level Projects and Pipeline Templates pages: Gate answers an empty list (no
      // projects in Front50) and an empty map of v2 templates by id; a 404 left them spinning.
      if (path === '/projects') return sendJson(res, 200, [], h);
      if (path === '/pipelineTemplates') return sendJson(res, 200, [], h);
      if (path === '/v2/pipelineTemplates/versions') return sendJson(res, 200, {}, h);
      if (path === '/search') {
        return sendJson(res, 200, [{ pageNumber: 1, pageSize: 500, platform: 'aws', query: url.searchParams.get('q') ?? '', results: [], totalMatches: 0 }], h);
      }
      if (parts[0] === 'notifications' && parts[1] === 'application' && parts.length === 3) {
        // Front50's application notifications: none configured in the sandbox.
        return sendJson(res, 200, { application: parts[2] }, h);
      }
      if (path === '/jobs/preconfigured' || path === '/webhooks/preconfigured' || path === '/notifications/metadata') {
        return sendJson(res, 200, [], h);
      }
      if (parts[0] === 'pipelines' && parts.length === 2) {
        const e = executions.get(parts[1]);
        return e ? sendJson(res, 200, e, h) : notFound(res, h, `Execution not found (id: ${parts[1]})`);
      }
      if (path === '/executions') {
        const ids = (url.searchParams.get('pipelineConfigIds') ?? '').split(',').filter(Boolean);
        const appNames = new Set(pipelineConfigs.filter((p) => ids.includes(p.id)).map((p) => p.application));
        const list = [...appNames].flatMap((a) => listExecutions([...executions.values()], a, url.searchParams));
        return sendJson(res, 200, list, h);
      }
      if (parts[0] === 'applications' && parts.length >= 2) {
        const a = app(parts[1]);
        if (!a) return notFound(res, h, `Application ${parts[1]} not found`);
        if (parts.length === 2) {
          const { name, ...attributes } = a;
          return sendJson(res, 200, { name, attributes: { name, ...attributes }, clusters: {} }, h);
        }
        const what = parts[2];
        if (what === 'pipelineConfigs') {
          const mine = pipelineConfigs.filter((p) => p.application === a.name);
          if (parts.length === 4) {
            const one = mine.find((p) => p.name === parts[3]);
            return one ? sendJson(res, 200, one, h) : notFound(res, h, `Pipeline config ${parts[3]} not found`);
          }
          return sendJson(res, 200, mine, h);
        }
        if (what === 'strategyConfigs') return sendJson(res, 200, [], h);
        if (what === 'pipelines' && parts.length === 3) {
          const list = listExecutions([...executions.values()], a.name, url.searchParams);
          return sendJson(res, 200, url.searchParams.get('expand') === 'false' ? list.map(unexpand) : list, h);
        }
        if (what === 'pipelines' && parts[3] === 'running') {
          return sendJson(res, 200, [...executions.values()].filter((e) => e.application === a.name && ACTIVE.has(e.status)), h);
        }
        if (['serverGroups', 'loadBalancers', 'serverGroupManagers', 'tasks', 'securityGroups', 'functions'].includes(what)) {
          return sendJson(res, 200, [], h);
        }
        if (what === 'clusters') return sendJson(res, 200, {}, h);
      }
    }

    if (method === 'POST' && path === '/pipelines') {
      const body = (await readJson(req)) as PipelineConfig;
      if (!body || typeof body !== 'object' || !body.application || !body.name) {
        return sendJson(res, 400, { error: 'Bad Request', message: 'pipeline must have an application and a name', status: 400 }, h);
      }
      savedPipelines.push({ at: Date.now(), staleCheck: url.searchParams.get('staleCheck') === 'true', pipeline: body });
      const saved: PipelineConfig = { ...body, updateTs: String(Date.now()), lastModifiedBy: user };
      const i = pipelineConfigs.findIndex((p) => p.id === body.id);
      if (i >= 0) pipelineConfigs[i] = saved;
      else pipelineConfigs.push(saved);
      await opts.onPipelinesChanged?.(pipelineConfigs);
      // Gate waits for Front50's save task and answers without a body.
      res.writeHead(200, { ...h, 'content-type': 'text/plain', 'content-length': 0 });
      res.end();
      return;
    }

    if (method === 'POST' && parts[0] === 'pipelines' && parts[1] === 'v2' && parts.length === 4) {
      const [, , appName, pipelineName] = parts;
      const body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
      triggers.push({ application: appName, pipelineName, body });
      const config = pipelineConfigs.find((p) => p.application === appName && p.name === pipelineName);
      if (!config) return notFound(res, h, `Pipeline ${appName}:${pipelineName} not found`);
      if (!opts.runner) {
        return sendJson(res, 503, { error: 'Service Unavailable', message: 'This sandbox runs pipelines only when the bridge and the CD-as-a-Service emulator are running', status: 503 }, h);
      }
      const execution = opts.runner.start(config, body, user);
      executions.set(execution.id, execution);
      return sendJson(res, 202, { ref: `/pipelines/${execution.id}` }, h);
    }

    if (method === 'DELETE' && parts[0] === 'pipelines' && parts.length === 3) {
      // Deck's "Delete" in the pipeline config's actions: Gate's DELETE /pipelines/{app}/{name}.
      const i = pipelineConfigs.findIndex((p) => p.application === parts[1] && p.name === parts[2]);
      if (i >= 0) {
        pipelineConfigs.splice(i, 1);
        await opts.onPipelinesChanged?.(pipelineConfigs);
      }
      res.writeHead(200, { ...h, 'content-type': 'text/plain', 'content-length': 0 });
      res.end();
      return;
    }

    if (method === 'PUT' && parts[0] === 'pipelines' && parts.length === 3 && parts[2] === 'cancel') {
      const e = executions.get(parts[1]);
      if (!e) return notFound(res, h, `Execution not found (id: ${parts[1]})`);
      const reason = url.searchParams.get('reason') ?? undefined;
      if (!opts.runner?.cancel(parts[1], reason)) {
        return sendJson(res, 409, { error: 'Conflict', message: `Execution ${parts[1]} is not running in this sandbox`, status: 409 }, h);
      }
      res.writeHead(202, { ...h, 'content-type': 'text/plain', 'content-length': 0 });
      res.end();
      return;
    }

    unknownRequests.push(`${method} ${path}`);
    opts.onUnknown?.(method, path);
    notFound(res, h, `The sandbox Gate does not serve ${method} ${path}`);
  }

  const server = createServer((req, res) => {
    const h = cors(req);
    route(req, res, h).catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { error: 'Internal Server Error', message: err instanceof Error ? err.message : String(err), status: 500 }, h);
      } else res.destroy();
    });
  });

  // One-origin mode: the shell's static files behind Gate's endpoints.
  if (opts.deckShellDir) {
    const { shellHandler } = await import('../deck-shell/server');
    const handleShell = shellHandler({ dir: opts.deckShellDir, settings: () => ({ gateUrl: selfUrl }) });
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const h = cors(req);
      handleShell(req, res).then((done) => {
        if (!done) return route(req, res, h);
      }).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(err) }, h);
      });
    });
  }

  const host = opts.host ?? LOOPBACK;
  const port = await listen(server, opts.port ?? 0, host, 'Gate stand-in', 'SANDBOX_GATE_PORT');
  selfUrl = `http://${host}:${port}`;
  return {
    url: selfUrl,
    port,
    savedPipelines,
    triggers,
    executions,
    pipelineConfigs,
    unknownRequests,
    get user() {
      return user;
    },
    signIn(name: string) {
      if (!users.has(name)) throw new Error(`unknown sandbox user ${name}`);
      user = name;
    },
    close: () => closeServer(server),
  };
}
