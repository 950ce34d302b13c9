/**
 * Plays Orca's part for a saved Webhook stage: what orca-webhook's CreateWebhookTask and
 * MonitorWebhookTask do with the stage JSON (see shared/reference/spinnaker-plugins.md, "Orca: how
 * a Webhook stage runs"), over real HTTP. The sandbox's Orca stand-in runs it; the bridge's tests drive it.
 *
 * Reproduced: SpEL evaluation of the few expressions our stages save (`${execution.id}`,
 * `${execution.authentication.user}`, artifactExpression(); an expression Orca cannot evaluate
 * stays as its text); the create call (method, JSON payload, customHeaders, X-SPINNAKER-* dropped);
 * failFastStatusCodes (504) fail at once, 5xx/429 retried every `createRetryDelayMs` for up to
 * `createRetryWindowMs` (Orca: 10 s / 300 s), other 4xx end the stage TERMINAL with the body in
 * webhook.error, connection refused is TERMINAL; statusUrlResolution `webhookResponse` with a
 * JSONPath on the create answer (`getMethod` and `locationHeader` too: a relative Location fails);
 * polling with GET (5xx/429 retried), a non-JSON status answer is TERMINAL, statusJsonPath mapping
 * (integer 100 = success, strings upper-cased against the three comma lists, else running),
 * progressJsonPath must be a string; cancelEndpoint on user cancel, on a canceled status and
 * when the stage ends TERMINAL.
 * Time is scaled by options (real Orca polls every 1 s, then every 15 s after a minute).
 */
import type { KorkArtifact } from '@cdaas/contract/deploy';

export type OrcaStageStatus = 'SUCCEEDED' | 'TERMINAL' | 'CANCELED';

/** A saved stage as Deck writes it: Webhook stage fields plus whatever else the stage carries. */
export interface SavedWebhookStage {
  refId?: string;
  type?: string;
  alias?: string;
  url: string;
  method?: string;
  payload?: unknown;
  customHeaders?: Record<string, string>;
  waitForCompletion?: boolean;
  statusUrlResolution?: 'getMethod' | 'locationHeader' | 'webhookResponse';
  statusUrlJsonPath?: string;
  statusJsonPath?: string;
  progressJsonPath?: string;
  successStatuses?: string;
  canceledStatuses?: string;
  terminalStatuses?: string;
  cancelEndpoint?: string;
  cancelMethod?: string;
  cancelPayload?: unknown;
  failFastStatusCodes?: number[];
  [k: string]: unknown;
}

export interface MonitorSnapshot {
  statusCode: number;
  body: unknown;
  status?: unknown;
  progressMessage?: string;
}

export interface PlayOptions {
  executionId: string;
  /** The authenticated user; absent = Orca leaves `${execution.authentication.user}` as text. */
  user?: string;
  /** `${execution.name}`; absent = left as text. */
  pipelineName?: string;
  /** Artifacts bound to expected artifact ids (by the trigger or an upstream stage). */
  boundArtifacts?: Record<string, KorkArtifact>;
  createRetryDelayMs?: number;
  createRetryWindowMs?: number;
  pollIntervalMs?: number;
  /** Stage timeout for monitoring (Orca default: 1 h). */
  monitorTimeoutMs?: number;
  /** Called after every successful poll; return 'cancel' to cancel the execution as a user would. */
  onPoll?: (snapshot: MonitorSnapshot) => void | 'cancel' | Promise<void | 'cancel'>;
}

export interface WebhookContext {
  statusCode?: number;
  statusCodeValue?: number;
  headers?: Record<string, string>;
  body?: unknown;
  error?: string;
  statusEndpoint?: string;
  monitor?: MonitorSnapshot;
}

export interface PlayResult {
  status: OrcaStageStatus;
  webhook: WebhookContext;
  createAttempts: number;
  polls: number;
  progress: string[];
  cancel?: { statusCode: number; body: unknown } | { error: string };
  /** Why the stage ended TERMINAL, in Orca's terms. */
  reason?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The JSONPath subset stage configs use: `$.a.b[0].c`. */
export function jsonPath(doc: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`unsupported JSONPath ${path}`);
  let cur: unknown = doc;
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']+)'\]/g)) {
    if (cur == null || typeof cur !== 'object') return undefined;
    const key = m[1] ?? m[3] ?? Number(m[2]);
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** Orca's SpEL, for the expressions our stages save. An unknown expression stays as its text. */
export function evaluateSpel(value: unknown, opts: PlayOptions): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([\s\S]*)\}$/.exec(value);
    if (whole && !whole[1].includes('${')) {
      const expr = whole[1].trim();
      if (expr === 'execution.id') return opts.executionId;
      if (expr === 'execution.authentication.user') return opts.user ?? value;
      if (expr === 'execution.name') return opts.pipelineName ?? value;
      const id = /resolvedExpectedArtifacts.*?\^\[id == '((?:[^']|'')+)'\]/.exec(expr)?.[1]?.replace(/''/g, "'");
      if (id !== undefined) return opts.boundArtifacts?.[id] ?? value;
      return value;
    }
    return value.replace(/\$\{\s*execution\.id\s*\}/g, opts.executionId);
  }
  if (Array.isArray(value)) return value.map((v) => evaluateSpel(v, opts));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateSpel(v, opts)]));
  }
  return value;
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  json: boolean;
}

async function call(method: string, url: string, headers: Record<string, string>, payload?: unknown): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method,
    headers: { ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: payload !== undefined ? JSON.stringify(payload) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  const json = /\bjson\b/i.test(res.headers.get('content-type') ?? '');
  let body: unknown = text;
  if (json) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body, json };
}

function isConnectionRefused(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);

export async function playWebhookStage(saved: SavedWebhookStage, opts: PlayOptions): Promise<PlayResult> {
  // The stage JSON as Orca holds it, with SpEL evaluated at stage start.
  const stage = evaluateSpel(JSON.parse(JSON.stringify(saved)), opts) as SavedWebhookStage;
  // Orca never forwards X-SPINNAKER-* headers to the called service.
  const headers = Object.fromEntries(Object.entries(stage.customHeaders ?? {}).filter(([k]) => !/^x-spinnaker-/i.test(k)));
  const result: PlayResult = { status: 'TERMINAL', webhook: {}, createAttempts: 0, polls: 0, progress: [] };
  const failFast = stage.failFastStatusCodes ?? [504];
  const retryDelay = opts.createRetryDelayMs ?? 10_000;
  const retryWindow = opts.createRetryWindowMs ?? 300_000;

  const cancel = async () => {
    if (!stage.cancelEndpoint) return;
    try {
      const a = await call(stage.cancelMethod ?? 'POST', stage.cancelEndpoint, headers, stage.cancelPayload ?? {});
      result.cancel = { statusCode: a.status, body: a.body };
    } catch (err) {
      result.cancel = { error: err instanceof Error ? err.message : String(err) };
    }
  };
  const terminal = async (reason: string) => {
    result.status = 'TERMINAL';
    result.reason = reason;
    await cancel();
    return result;
  };

  // CreateWebhookTask
  const createStarted = Date.now();
  let created: HttpAnswer;
  for (;;) {
    result.createAttempts++;
    try {
      created = await call(stage.method ?? 'POST', stage.url, headers, stage.payload);
    } catch (err) {
      if (isConnectionRefused(err)) return terminal(`create call: connection refused`);
      if (Date.now() - createStarted + retryDelay > retryWindow) return terminal(`create call: ${String(err)}`);
      await sleep(retryDelay);
      continue;
    }
    const { status } = created;
    if (status >= 200 && status < 300) break;
    if (failFast.includes(status)) {
      result.webhook = { statusCode: status, statusCodeValue: status, error: JSON.stringify(created.body), body: created.body };
      return terminal(`create call: HTTP ${status} is in failFastStatusCodes`);
    }
    if (status >= 500 || status === 429) {
      if (Date.now() - createStarted + retryDelay > retryWindow) {
        result.webhook = { statusCode: status, statusCodeValue: status, error: JSON.stringify(created.body), body: created.body };
        return terminal(`create call: HTTP ${status} after retrying for ${retryWindow} ms`);
      }
      await sleep(retryDelay);
      continue;
    }
    result.webhook = { statusCode: status, statusCodeValue: status, error: typeof created.body === 'string' ? created.body : JSON.stringify(created.body), body: created.body };
    return terminal(`create call: HTTP ${status}`);
  }
  result.webhook = { statusCode: created.status, statusCodeValue: created.status, headers: created.headers, body: created.body };
  if (!stage.waitForCompletion) {
    result.status = 'SUCCEEDED';
    return result;
  }

  let statusUrl: unknown;
  switch (stage.statusUrlResolution ?? 'getMethod') {
    case 'getMethod':
      statusUrl = stage.url;
      break;
    case 'locationHeader':
      statusUrl = created.headers.location;
      break;
    case 'webhookResponse':
      statusUrl = created.json ? jsonPath(created.body, stage.statusUrlJsonPath ?? '$') : undefined;
      break;
  }
  // Orca uses the value as is: a relative URL cannot be called.
  if (typeof statusUrl !== 'string' || !/^https?:\/\//.test(statusUrl)) return terminal(`status URL is not an absolute URL: ${JSON.stringify(statusUrl)}`);
  result.webhook.statusEndpoint = statusUrl;

  // MonitorWebhookTask
  const monitorStarted = Date.now();
  const success = list(stage.successStatuses);
  const canceled = list(stage.canceledStatuses);
  const terminalStatuses = list(stage.terminalStatuses);
  for (;;) {
    if (Date.now() - monitorStarted > (opts.monitorTimeoutMs ?? 3_600_000)) return terminal('monitor timed out');
    await sleep(opts.pollIntervalMs ?? 1000);
    let polled: HttpAnswer;
    try {
      polled = await call('GET', statusUrl, headers);
    } catch (err) {
      if (isConnectionRefused(err)) return terminal('status call: connection refused');
      continue;
    }
    result.polls++;
    if (polled.status >= 500 || polled.status === 429) continue;
    if (polled.status < 200 || polled.status >= 300) {
      result.webhook.error = typeof polled.body === 'string' ? polled.body : JSON.stringify(polled.body);
      return terminal(`status call: HTTP ${polled.status}`);
    }
    if (!polled.json || typeof polled.body !== 'object') return terminal('status answer is not JSON: the status cannot be read');
    const status = jsonPath(polled.body, stage.statusJsonPath ?? '$.status');
    const snapshot: MonitorSnapshot = { statusCode: polled.status, body: polled.body, status };
    if (stage.progressJsonPath) {
      const progress = jsonPath(polled.body, stage.progressJsonPath);
      if (typeof progress !== 'string') return terminal(`progressJsonPath ${stage.progressJsonPath} does not point at a string`);
      snapshot.progressMessage = progress;
      if (result.progress[result.progress.length - 1] !== progress) result.progress.push(progress);
    }
    result.webhook.monitor = snapshot;
    if (typeof status === 'number') {
      if (status === 100) {
        result.status = 'SUCCEEDED';
        return result;
      }
    } else if (typeof status === 'string') {
      const s = status.toUpperCase();
      if (success.includes(s)) {
        result.status = 'SUCCEEDED';
        return result;
      }
      if (canceled.includes(s)) {
        result.status = 'CANCELED';
        await cancel();
        return result;
      }
      if (terminalStatuses.includes(s)) return terminal(`status ${s} is in terminalStatuses`);
    } else return terminal(`statusJsonPath ${stage.statusJsonPath} does not point at a status`);
    if ((await opts.onPoll?.(snapshot)) === 'cancel') {
      result.status = 'CANCELED';
      await cancel();
      return result;
    }
  }
}
