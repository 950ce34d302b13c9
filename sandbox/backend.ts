/**
 * Starts the CD-as-a-Service emulator and the bridge configured for it, for the sandbox. The bridge
 * gets its settings the way an admin gives them, as environment variables read by `loadConfig`,
 * pointed at the emulator's token URL and API with the emulator's throwaway sandbox client.
 */
import { loadConfig, startBridge } from '@cdaas/bridge';
import { type Emulator, seedFromEnv, startEmulator } from '@cdaas/bridge/emulator';
import { CONTROL_PREFIX } from '@cdaas/bridge/emulator';

/** The emulator's default time per deploy step and per timed pause (bridge/emulator). */
export const EMULATOR_STEP_MS = 2_000;
import type { PipelineRunner } from './gate/server';
import { SandboxPipelineRunner } from './runner/pipelineRunner';

export interface Backend {
  bridgeReadUrl: string;
  bridgeDeployUrl: string;
  emulatorApiUrl: string;
  emulatorIssuer: string;
  /** Approves a pause step of an emulated CDaaS pipeline (the emulator's control API). */
  approve(pipelineId: string, ref?: string): void;
  /** The emulator's failure injection (tests: make CDaaS answer 503, be slow, ...). */
  faults: Emulator['faults'];
  runner?: PipelineRunner;
  close(): Promise<void>;
}

export interface BackendOptions {
  host: string;
  ports: { bridgeRead: number; bridgeDeploy: number; emulatorAuth: number; emulatorApi: number };
  /** How long each emulated deploy step and timed pause takes (ms). */
  stepIntervalMs?: number;
  /** How often the runner polls the bridge for a deployment's status (Orca: 1 s). */
  pollIntervalMs?: number;
  /** The bridge's read cache TTL (ms); the bridge's default is 5 s. */
  readCacheTtlMs?: number;
  /** More bridge settings as env (tests point preflight's endpoints at loopback). */
  bridgeEnv?: Record<string, string>;
  log: (line: string) => void;
}

/**
 * Bridge warnings that are true of a real install but not of the sandbox: the runner reaches the
 * deploy listener at the URL the bridge builds statusUrl from, so no public base URL is needed.
 */
const SANDBOX_NOISE = [/deploy\.publicBaseUrl is not set/];

/** The bridge's JSON log line as one readable line: level, message, then the other fields. */
export function readableLogLine(line: string): string {
  try {
    const { time: _time, level, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return [`${String(level)}: ${String(msg)}`, ...fields].join(' ');
  } catch {
    return line.trim();
  }
}

export async function startBackend(opts: BackendOptions): Promise<Backend> {
  const emulator = await startEmulator({
    host: opts.host,
    authPort: opts.ports.emulatorAuth,
    apiPort: opts.ports.emulatorApi,
    stepIntervalMs: opts.stepIntervalMs,
    // CDAAS_EMULATOR_SEED=scale npm start: 10,000 replica sets across 50 agents for the views.
    seed: seedFromEnv(process.env),
  });
  try {
    const client = emulator.clients[0];
    if (!client) throw new Error('the emulator has no client');
    const config = loadConfig(
      {
        CDAAS_CLIENT_ID: client.clientId,
        CDAAS_CLIENT_SECRET: client.clientSecret,
        CDAAS_TOKEN_URL: emulator.tokenUrl,
        CDAAS_AUDIENCE: emulator.audience,
        CDAAS_API_BASE_URL: emulator.apiUrl,
        CDAAS_RETRIES: '1',
        BRIDGE_READ_HOST: opts.host,
        BRIDGE_READ_PORT: String(opts.ports.bridgeRead),
        BRIDGE_DEPLOY_HOST: opts.host,
        BRIDGE_DEPLOY_PORT: String(opts.ports.bridgeDeploy),
        LOG_LEVEL: 'warn',
        ...(opts.readCacheTtlMs !== undefined ? { BRIDGE_READ_CACHE_TTL_MS: String(opts.readCacheTtlMs) } : {}),
        ...opts.bridgeEnv,
      },
      undefined,
    );
    const bridge = await startBridge(config, {
      // The bridge logs JSON lines; the sandbox shows warnings and errors only, as one line each.
      logSink: (line: string) => {
        const readable = readableLogLine(line);
        if (!SANDBOX_NOISE.some((re) => re.test(readable))) opts.log(`bridge: ${readable}`);
      },
    });
    const approveUrl = (pipelineId: string) => `${emulator.apiUrl}${CONTROL_PREFIX}/pipelines/${encodeURIComponent(pipelineId)}/approve`;
    const runner = new SandboxPipelineRunner({
      log: opts.log,
      stepIntervalMs: opts.stepIntervalMs ?? EMULATOR_STEP_MS,
      pollIntervalMs: opts.pollIntervalMs,
      approveHint: (pipelineId) => `approve it with: curl -X POST ${approveUrl(pipelineId)}`,
    });
    return {
      runner,
      bridgeReadUrl: bridge.readUrl,
      bridgeDeployUrl: bridge.deployUrl,
      emulatorApiUrl: emulator.apiUrl,
      emulatorIssuer: emulator.issuer,
      approve: (pipelineId, ref) => emulator.approve(pipelineId, ref),
      faults: emulator.faults,
      async close() {
        // Running deployments get their cancel call while the bridge is still up.
        await runner.close();
        // Said before the emulator goes, so whoever stopped the sandbox sees the cancels arrived.
        for (const [path, n] of emulator.stats.requestsByPath) {
          const id = /^\/pipelines\/([^/]+)\/cancel$/.exec(path)?.[1];
          if (id) opts.log(`emulator: CDaaS pipeline ${decodeURIComponent(id)} got its cancel${n > 1 ? ` (${n} calls)` : ''}`);
        }
        await bridge.close();
        await emulator.close();
      },
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}
