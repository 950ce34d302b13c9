/**
 * Starts the emulator and a bridge configured against it, over real loopback sockets, with the
 * bridge's log lines captured so tests can assert what was (not) logged.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { PAYMENTS } from './payments';
import { waitFor } from '../../test/support/waitFor';
import { type Emulator, type EmulatorOptions, startEmulator } from '../emulator/index';
import { type RunningBridge, type StartBridgeOptions, loadConfig, startBridge } from '../src/index';

export { DEPLOYMENT_YAML, PAYMENTS, PAYMENTS_PLACES } from './payments';

export interface Harness {
  emu: Emulator;
  bridge: RunningBridge;
  logs: string[];
  secret: string;
  close(): Promise<void>;
}

export function bridgeEnv(emu: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CDAAS_CLIENT_ID: emu.clients[0].clientId,
    CDAAS_CLIENT_SECRET: emu.clients[0].clientSecret,
    CDAAS_TOKEN_URL: emu.tokenUrl,
    CDAAS_AUDIENCE: emu.audience,
    CDAAS_API_BASE_URL: emu.apiUrl,
    BRIDGE_READ_HOST: '127.0.0.1',
    BRIDGE_READ_PORT: '0',
    BRIDGE_DEPLOY_HOST: '127.0.0.1',
    BRIDGE_DEPLOY_PORT: '0',
    CDAAS_RETRY_BASE_MS: '20',
    CDAAS_RETRY_MAX_DELAY_MS: '2000',
    CDAAS_TIMEOUT_MS: '3000',
    CDAAS_TOKEN_BACKOFF_BASE_MS: '100',
    CDAAS_TOKEN_BACKOFF_MAX_MS: '1000',
    // Enough read retries to ride out the 429 storms the tests inject.
    BRIDGE_READ_UPSTREAM_RETRIES: '3',
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

export async function startHarness(
  emuOpts: EmulatorOptions = {},
  env: Record<string, string> = {},
  bridgeOpts: StartBridgeOptions = {},
  existing?: Emulator,
): Promise<Harness> {
  const emu = existing ?? (await startEmulator({ stepIntervalMs: 60, ...emuOpts }));
  const logs: string[] = [];
  const config = loadConfig(bridgeEnv(emu, env), undefined);
  const bridge = await startBridge(config, { logSink: (l) => void logs.push(l), warmupRetryMs: 200, ...bridgeOpts });
  return {
    emu,
    bridge,
    logs,
    secret: config.cdaas.clientSecret,
    close: async () => {
      await bridge.close();
      if (!existing) await emu.close();
    },
  };
}

/**
 * Builds the bridge bundle (`npm run build:bridge`) and copies it alone into a fresh folder, with
 * no node_modules beside it: what runs there needs nothing else. Returns the folder (main.cjs is in it).
 */
export function isolatedBundle(prefix: string): string {
  execFileSync('npm', ['run', '--silent', 'build:bridge'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyFileSync('build/bridge/main.cjs', join(dir, 'main.cjs'));
  return dir;
}

/** Runs a built bridge bundle on plain Node with only `env`, collecting its log lines. */
export function runBundle(file: string, env: Record<string, string>): { child: ChildProcess; out: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [file], { cwd: dirname(file), env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(...c.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (c: Buffer) => out.push(...c.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out, exited };
}

/** The bundle's 'bridge listening' log line: where its two listeners are. */
export async function listeningUrls(out: string[]): Promise<{ readUrl: string; deployUrl: string }> {
  return waitFor(async () => {
    const lines = out.map((l) => JSON.parse(l) as { msg: string; readUrl?: string; deployUrl?: string });
    const l = lines.find((x) => x.msg === 'bridge listening');
    return l?.readUrl && l.deployUrl ? { readUrl: l.readUrl, deployUrl: l.deployUrl } : undefined;
  }, 'the listening log line');
}


export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body, headers: res.headers };
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  getJson(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** PAYMENTS's deploy.yml (as JSON), for `application`. */
export function canaryDeployment(application = 'payments', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(PAYMENTS.deployment), application, ...extra };
}

export function deployRequest(executionId: string, stageRefId: string, over: Record<string, unknown> = {}) {
  return {
    contractVersion: 'v1',
    deployment: canaryDeployment(),
    files: structuredClone(PAYMENTS.files),
    artifacts: [],
    context: { application: 'payments', pipelineName: 'Deploy payments', executionId, stageRefId, user: 'alice@example.com' },
    ...over,
  };
}
