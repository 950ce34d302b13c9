/**
 * Serves the built Deck shell as Deck's own web server does: the static bundle, `/settings.js`
 * (window.spinnakerSettings, written per run so one cached build works with any Gate port),
 * Deck's own `/plugin-manifest.json` (empty: our plugin comes through Gate, the real way) and
 * `/version.json`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { closeServer, listen, LOOPBACK, sendFile, sendJson } from '../lib/http';

export interface ShellSettingsInput {
  gateUrl: string;
  /** The bridge deploy listener as Orca reaches it: saved into each CDaaS stage's URLs. */
  bridgeUrl?: string;
  /** How often Deck refreshes executions (ms). Real Deck's default is 30 s. */
  pollSchedule?: number;
}

/** window.spinnakerSettings for the shell: the fields core reads at load, Kubernetes only. */
export function shellSettings(input: ShellSettingsInput): Record<string, unknown> {
  return {
    gateUrl: input.gateUrl,
    // Off: with it on, Deck 0.29.1's user menu throws in this shell (a Dropdown focus error), and
    // the sandbox has no login to show anyway. Gate still answers /auth/user.
    authEnabled: false,
    authEndpoint: `${input.gateUrl}/auth/user`,
    checkForUpdates: false,
    debugEnabled: false,
    defaultProviders: ['kubernetes'],
    defaultTimeZone: 'UTC',
    pollSchedule: input.pollSchedule ?? 30_000,
    maxPipelineAgeDays: 14,
    maxRunningExecutionsToRetrieve: 30,
    searchVersion: 1,
    tasksViewLimitPerPage: 20,
    triggerTypes: [],
    hiddenStages: [],
    gitSources: ['github'],
    pubsubProviders: [],
    newApplicationDefaults: { chaosMonkey: false },
    notifications: {
      email: { enabled: false },
      slack: { enabled: false, botName: 'spinnakerbot' },
      sms: { enabled: false },
      bearychat: { enabled: false },
      githubStatus: { enabled: false },
      googlechat: { enabled: false },
      microsoftteams: { enabled: false },
      pubsub: { enabled: false },
      cdevents: { enabled: false },
    },
    providers: { kubernetes: { defaults: { account: 'staging' } } },
    feature: {
      canary: false,
      chaosMonkey: false,
      ci: false,
      entityTags: false,
      fiatEnabled: false,
      managedDelivery: false,
      managedServiceAccounts: false,
      managedResources: false,
      notifications: false,
      pagerDuty: false,
      pipelineTemplates: false,
      pipelines: true,
      quietPeriod: false,
      roscoMode: true,
      slack: false,
      snapshots: false,
      functions: false,
      kubernetesRawResources: false,
    },
    // The sandbox's runner plays Orca without Orca's default webhook URL rules, so the stage forms
    // note (rather than warn) that a real Orca would refuse this loopback bridge URL.
    ...(input.bridgeUrl ? { cdaas: { bridgeUrl: input.bridgeUrl, orcaUrlRulesApply: false } } : {}),
  };
}

export interface ShellHandlerOptions {
  dir: string;
  settings: () => ShellSettingsInput;
}

/** Returns a request handler that resolves false when the request is not the shell's. */
export function shellHandler(opts: ShellHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://deck.invalid').pathname;
    if (path === '/settings.js') {
      const text = `window.spinnakerSettings = ${JSON.stringify(shellSettings(opts.settings()), null, 2)};\n`;
      res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(text);
      return true;
    }
    if (path === '/plugin-manifest.json') {
      sendJson(res, 200, [], { 'cache-control': 'no-cache' });
      return true;
    }
    if (path === '/' || path === '/index.html') {
      return sendFile(res, opts.dir, 'index.html', { 'cache-control': 'no-cache' });
    }
    if (path === '/favicon.ico') {
      // Deck ships a favicon; an empty answer keeps the browser from logging a 404.
      res.writeHead(204);
      res.end();
      return true;
    }
    if (path === '/version.json') return sendFile(res, opts.dir, 'version.json', { 'cache-control': 'no-cache' });
    if (path.split('/').length === 2 && !path.startsWith('/.')) return sendFile(res, opts.dir, path.slice(1));
    return false;
  };
}

export interface DeckShellOptions extends ShellHandlerOptions {
  port?: number;
  host?: string;
}

export interface DeckShellHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startDeckShell(opts: DeckShellOptions): Promise<DeckShellHandle> {
  const handle = shellHandler(opts);
  const server = createServer((req, res) => {
    handle(req, res)
      .then((done) => {
        if (!done) sendJson(res, 404, { error: `not found: ${req.url}` });
      })
      .catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
        else res.destroy();
      });
  });
  const host = opts.host ?? LOOPBACK;
  const port = await listen(server, opts.port ?? 0, host, 'Deck shell', 'SANDBOX_DECK_PORT');
  return { url: `http://${host}:${port}`, port, close: () => closeServer(server) };
}
