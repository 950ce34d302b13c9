/**
 * The one-command sandbox (`npm start`): the real Deck UI with our plugin, a Gate stand-in, the
 * bridge and the CD-as-a-Service emulator, all on loopback.
 *
 *   Deck shell :9000 --(gateUrl)--> Gate stand-in :8084 --/proxies/cdaas--> bridge read :7001
 *   pipeline runner (Orca's part) --> bridge deploy :7002 --> CDaaS emulator (OIDC + REST API)
 *
 * `startSandbox()` is the programmatic form (tests pass port 0); the CLI at the bottom is thin.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_DEPLOY_PORT, DEFAULT_READ_PORT } from '@cdaas/bridge/config';
import { buildDeckShell, DEFAULT_SHELL_DIR } from './deck-shell/build';
import { startDeckShell } from './deck-shell/server';
import { startBackend, type Backend } from './backend';
import { DEMO_RUN_PIPELINE_NAME, demoRunWanted, triggerDemoRun, withDemoRunPipeline } from './demoRun';
import { DEMO_APP, DEMO_PIPELINE_ID, defaultFixtures, type GateFixtures } from './gate/fixtures';
import { filePipelineStore } from './gate/pipelineStore';
import { type GateHandle, startGate } from './gate/server';
import { SANDBOX_USERS } from './fiat/server';
import { assertPortsFree, LOOPBACK } from './lib/http';
import { PLUGIN_DIST_DIR } from './lib/plugin';
import { ensurePluginBuilt } from './lib/pluginBuild';

export interface SandboxPorts {
  deck: number;
  gate: number;
  bridgeRead: number;
  bridgeDeploy: number;
  emulatorAuth: number;
  emulatorApi: number;
}

/** Fixed defaults for `npm start` (Deck's and Gate's usual ports, the bridge's own defaults). */
export const DEFAULT_PORTS: SandboxPorts = {
  deck: 9000,
  gate: 8084,
  bridgeRead: DEFAULT_READ_PORT,
  bridgeDeploy: DEFAULT_DEPLOY_PORT,
  emulatorAuth: 9010,
  emulatorApi: 9011,
};

export const PORT_ENV: Record<keyof SandboxPorts, string> = {
  deck: 'SANDBOX_DECK_PORT',
  gate: 'SANDBOX_GATE_PORT',
  bridgeRead: 'SANDBOX_BRIDGE_READ_PORT',
  bridgeDeploy: 'SANDBOX_BRIDGE_DEPLOY_PORT',
  emulatorAuth: 'SANDBOX_EMULATOR_AUTH_PORT',
  emulatorApi: 'SANDBOX_EMULATOR_API_PORT',
};

export interface SandboxOptions {
  /** Ports; 0 picks a free one. Default: all 0 (the CLI passes DEFAULT_PORTS / env). */
  ports?: Partial<SandboxPorts>;
  host?: string;
  /** Build the plugin and the shell first when their inputs changed (default true). */
  build?: boolean;
  /** Start the bridge and the emulator (default true). */
  backend?: boolean;
  /** How long each emulated CDaaS step takes (ms); the emulator's default is 2 s. */
  stepIntervalMs?: number;
  /** How often the pipeline runner polls a deployment's status (ms); Orca's is 1 s. */
  pollIntervalMs?: number;
  /** The bridge's read cache TTL (ms); default the bridge's own (5 s). */
  readCacheTtlMs?: number;
  /** More bridge settings as env, e.g. preflight's endpoints (see bridge/src/preflight). */
  bridgeEnv?: Record<string, string>;
  /** Gate lists no Deck plugin (benchmark baseline: Deck alone). */
  withoutPlugin?: boolean;
  /** Serve the plugin from this folder instead of build/dist (the bench's single-module baseline). */
  pluginDir?: string;
  fixtures?: GateFixtures;
  /** How often Deck refreshes executions, in ms. */
  pollSchedule?: number;
  /**
   * Keep pipeline configs in this JSON file across restarts (the CLI does; tests keep them in
   * memory). Read at start when it exists, written after every save or delete from Deck.
   */
  pipelineFile?: string;
  /**
   * Start one run of the demo canary at start-up, through Gate's trigger, the Orca stand-in and the
   * bridge, so the CD-as-a-Service tab has a deployment to show (default true; needs the backend).
   */
  demoRun?: boolean;
  log?: (line: string) => void;
}

export interface SandboxUrls {
  deck: string;
  gate: string;
  /** The pipeline editor of the demo pipeline. */
  editor: string;
  executions: string;
  bridgeRead?: string;
  bridgeDeploy?: string;
  emulatorApi?: string;
  emulatorIssuer?: string;
  /** The application's CD-as-a-Service tab. */
  cdaasTab: string;
}

export interface Sandbox {
  urls: SandboxUrls;
  /** The execution of the start-up demo run, when there is one. */
  demoRunExecutionId?: string;
  gate: GateHandle;
  backend?: Backend;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? LOOPBACK;
  const ports: SandboxPorts = { deck: 0, gate: 0, bridgeRead: 0, bridgeDeploy: 0, emulatorAuth: 0, emulatorApi: 0, ...opts.ports };
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((err: unknown) => log(`close failed: ${String(err)}`));
  };

  try {
    let pluginDir = opts.pluginDir ?? PLUGIN_DIST_DIR;
    let shellDir = DEFAULT_SHELL_DIR;
    if (opts.build !== false) {
      const p = await ensurePluginBuilt({ log });
      pluginDir = opts.pluginDir ?? p.dir;
      log(p.built ? `plugin built in ${p.ms} ms` : 'plugin up to date');
      const s = await buildDeckShell();
      shellDir = s.dir;
      log(s.built ? `Deck shell built in ${s.ms} ms` : 'Deck shell up to date');
    }

    let backend: Backend | undefined;
    if (opts.backend !== false) {
      const started = await startBackend({ host, ports, log, stepIntervalMs: opts.stepIntervalMs, pollIntervalMs: opts.pollIntervalMs, readCacheTtlMs: opts.readCacheTtlMs, bridgeEnv: opts.bridgeEnv });
      backend = started;
      closers.push(() => started.close());
    }

    const fixtures = opts.fixtures ?? defaultFixtures();
    const store = opts.pipelineFile ? filePipelineStore(opts.pipelineFile) : undefined;
    const kept = await store?.load();
    if (kept) fixtures.pipelineConfigs = kept;
    if (store) log(kept ? `pipeline configs read from ${store.file}` : `pipeline configs will be kept in ${store.file}`);
    const demoRun = opts.demoRun !== false && backend !== undefined;
    if (demoRun) fixtures.pipelineConfigs = withDemoRunPipeline(fixtures.pipelineConfigs, backend!.bridgeDeployUrl);
    const gate = await startGate({
      pluginDir,
      proxies: { cdaas: backend?.bridgeReadUrl },
      fixtures,
      onPipelinesChanged: store && ((configs) => store.save(configs)),
      runner: backend?.runner,
      withoutPlugin: opts.withoutPlugin,
      port: ports.gate,
      host,
      onUnknown: (method, path) => log(`gate: no stand-in for ${method} ${path}`),
      // The Fiat stand-in's two users: one may operate the demo application, one may only look.
      users: Object.values(SANDBOX_USERS),
    });
    closers.push(() => gate.close());

    const deck = await startDeckShell({
      dir: shellDir,
      port: ports.deck,
      host,
      settings: () => ({
        gateUrl: gate.url,
        // What Orca would use; the sandbox's runner plays Orca on this machine.
        bridgeUrl: backend?.bridgeDeployUrl,
        pollSchedule: opts.pollSchedule ?? 5_000,
      }),
    });
    closers.push(() => deck.close());

    const urls: SandboxUrls = {
      deck: deck.url,
      gate: gate.url,
      editor: `${deck.url}/#/applications/${DEMO_APP}/executions/configure/${DEMO_PIPELINE_ID}`,
      executions: `${deck.url}/#/applications/${DEMO_APP}/executions`,
      bridgeRead: backend?.bridgeReadUrl,
      bridgeDeploy: backend?.bridgeDeployUrl,
      emulatorApi: backend?.emulatorApiUrl,
      emulatorIssuer: backend?.emulatorIssuer,
      cdaasTab: `${deck.url}/#/applications/${DEMO_APP}/cdaas`,
    };
    let demoRunExecutionId: string | undefined;
    if (demoRun) {
      demoRunExecutionId = await triggerDemoRun(gate.url);
      log(`demo run: "${DEMO_RUN_PIPELINE_NAME}" started as execution ${demoRunExecutionId} (manual trigger "sandbox start" by ${SANDBOX_USERS.allowed}), a canary through the bridge that waits for approval in the CD-as-a-Service tab; --no-demo-run or SANDBOX_DEMO_RUN=0 skips it`);
    }
    return { urls, gate, backend, demoRunExecutionId, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Gate's sandbox sign-in, back to Deck's executions afterwards. */
export function signInUrl(urls: SandboxUrls, user: string): string {
  return `${urls.gate}/sandbox/sign-in?user=${encodeURIComponent(user)}&next=${encodeURIComponent(urls.executions)}`;
}

const PORT_LABEL: Record<keyof SandboxPorts, string> = {
  deck: 'Deck shell',
  gate: 'Gate stand-in',
  bridgeRead: 'bridge read listener',
  bridgeDeploy: 'bridge deploy listener',
  emulatorAuth: 'CDaaS emulator auth server',
  emulatorApi: 'CDaaS emulator API',
};

function portsFromEnv(env: NodeJS.ProcessEnv): SandboxPorts {
  const ports = { ...DEFAULT_PORTS };
  for (const key of Object.keys(PORT_ENV) as Array<keyof SandboxPorts>) {
    const raw = env[PORT_ENV[key]];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${PORT_ENV[key]}=${raw}: must be a port number (0-65535)`);
    ports[key] = n;
  }
  return ports;
}

/**
 * One Ctrl-C reaches the sandbox more than once: the terminal signals the whole process group, and
 * npm and tsx each pass their copy on. Copies arrive within moments of each other, a person's second
 * Ctrl-C later: signals within this window of the first are the same request.
 */
export const SIGNAL_COPY_WINDOW_MS = 1_000;

export interface StopControl {
  /** Graceful: cancel running deployments, close every listener. */
  stop(signal: string): void;
  /** A second, later signal: exit without waiting. */
  force(signal: string): void;
}

/** Maps incoming signals (SIGINT from a terminal or a process group, SIGTERM) onto stop / force. */
export function signalHandler(control: StopControl, now: () => number = Date.now): (signal: string) => void {
  let firstAt: number | undefined;
  return (signal) => {
    const t = now();
    if (firstAt === undefined) {
      firstAt = t;
      control.stop(signal);
    } else if (t - firstAt >= SIGNAL_COPY_WINDOW_MS) {
      control.force(signal);
    }
  };
}

/** The repository's own folder for sandbox state (gitignored). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_PIPELINE_FILE = join(REPO_ROOT, '.sandbox', 'pipelines.json');

function stepIntervalFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.SANDBOX_STEP_MS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`SANDBOX_STEP_MS=${raw}: must be a whole number of milliseconds (1 or more)`);
  return n;
}

/** The emulator's default step time (bridge/emulator: 2 s per step and per timed pause). */
const EMULATOR_DEFAULT_STEP_MS = 2_000;

async function main(): Promise<void> {
  const say = (line: string) => line && console.log(line);
  let sandbox: Sandbox | undefined;
  let starting = true;
  const onSignal = signalHandler({
    stop(signal) {
      console.log(`\n${signal}: cancelling running deployments, then stopping (Ctrl-C again to stop at once)...`);
      // Still starting: the start finishes (or fails) first, then closes below.
      if (starting) return;
      void stopSandbox();
    },
    force(signal) {
      console.log(`${signal} again: stopping now, without waiting for the cancels.`);
      process.exit(130);
    },
  });
  let stopRequested = false;
  const stopSandbox = async () => {
    await sandbox?.close().catch((err: unknown) => console.error(`stopping failed: ${String(err)}`));
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => {
    stopRequested = true;
    onSignal('SIGINT');
  });
  process.on('SIGTERM', () => {
    stopRequested = true;
    onSignal('SIGTERM');
  });

  let stepIntervalMs: number | undefined;
  try {
    const ports = portsFromEnv(process.env);
    stepIntervalMs = stepIntervalFromEnv(process.env);
    await assertPortsFree(
      (Object.keys(ports) as Array<keyof SandboxPorts>).map((k) => ({ port: ports[k], what: PORT_LABEL[k], envVar: PORT_ENV[k] })),
      LOOPBACK,
    );
    sandbox = await startSandbox({
      ports,
      log: say,
      stepIntervalMs,
      pipelineFile: process.env.SANDBOX_PIPELINE_FILE || DEFAULT_PIPELINE_FILE,
      demoRun: demoRunWanted(process.argv.slice(2), process.env),
    });
  } catch (err) {
    console.error(`The sandbox did not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  starting = false;
  if (stopRequested) return void stopSandbox();
  const u = sandbox.urls;
  const stepS = (stepIntervalMs ?? EMULATOR_DEFAULT_STEP_MS) / 1000;
  const pipelineFile = process.env.SANDBOX_PIPELINE_FILE || DEFAULT_PIPELINE_FILE;
  // Every URL as the listeners bind it (127.0.0.1): "localhost" may resolve to ::1 first.
  const lines = [
    '',
    'CD-as-a-Service sandbox is running:',
    `  Deck (real @spinnaker/core UI + this plugin)  ${u.deck}`,
    `  Gate stand-in                                 ${u.gate}`,
    u.bridgeRead && `  bridge read listener (Gate proxy "cdaas")     ${u.bridgeRead}`,
    u.bridgeDeploy && `  bridge deploy listener (Orca's webhook calls) ${u.bridgeDeploy}`,
    u.emulatorIssuer && `  CDaaS emulator auth server (OIDC issuer)      ${u.emulatorIssuer}`,
    u.emulatorApi && `  CDaaS emulator REST API                       ${u.emulatorApi}`,
    '',
    `Open ${u.editor}`,
    '  to add a "CD-as-a-Service Deploy" stage; executions are at',
    `  ${u.executions}`,
    sandbox.demoRunExecutionId && `The CD-as-a-Service tab (the demo run's canary waits there for approval): ${u.cdaasTab}`,
    u.bridgeDeploy && '  (Start Manual Execution runs it through the bridge; when a step waits for approval,',
    u.bridgeDeploy && '  Approve or Roll back it in the stage\'s execution details.)',
    u.bridgeDeploy && `Signed in as ${SANDBOX_USERS.allowed} (may approve in ${DEMO_APP}). To see the refusal, sign in as ${SANDBOX_USERS.denied}:`,
    u.bridgeDeploy && `  ${signInUrl(u, SANDBOX_USERS.denied)}`,
    '',
    `Pipeline configs are kept in ${pipelineFile} across restarts (delete it to start over).`,
    u.emulatorApi &&
      `Time scale: the emulator runs each deploy step and each timed pause in ${stepS} s, so "Pause for 20 minutes" ends after ${stepS} s (SANDBOX_STEP_MS to change).`,
    '',
    'Press Ctrl-C to stop everything (running deployments get their cancel call first).',
  ];
  console.log(lines.filter((l) => typeof l === 'string').join('\n'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
