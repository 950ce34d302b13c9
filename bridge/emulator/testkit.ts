/** Helpers for the emulator's own tests (real HTTP over loopback, no mocks). */
import { START_PIPELINE_MEDIA_TYPE, upstreamRoutes } from '../src/cdaas/upstream.js';
import { type PotatoFacts, type PotatoFactsOptions, potatoFacts } from './potatoFacts.js';
import { startEmulator } from './index.js';
import type { Emulator, EmulatorOptions } from './types.js';

export async function requestToken(
  emu: Emulator,
  fields: Partial<Record<'grant_type' | 'client_id' | 'client_secret' | 'audience', string>> = {},
): Promise<Response> {
  const c = emu.clients[0]!;
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    audience: emu.audience,
    ...fields,
  });
  return fetch(emu.tokenUrl, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}

export async function token(emu: Emulator): Promise<string> {
  const res = await requestToken(emu);
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export class ApiClient {
  constructor(
    private readonly emu: Emulator,
    private readonly bearer: string,
  ) {}

  get(path: string): Promise<Response> {
    return fetch(`${this.emu.apiUrl}${path}`, { headers: { Authorization: `Bearer ${this.bearer}` } });
  }

  post(path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
    return fetch(`${this.emu.apiUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.bearer}`, 'Content-Type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  start(body: unknown): Promise<Response> {
    return this.post(upstreamRoutes.startPipeline.path(), body, START_PIPELINE_MEDIA_TYPE);
  }

  async json<T = unknown>(res: Response | Promise<Response>): Promise<T> {
    return (await (await res).json()) as T;
  }
}

/**
 * The emulator tests' potato-facts (what their assertions name): a Service in front, four
 * replicas of a versioned image, and a canary that waits for approval, then 75 % and a 10-minute pause.
 */
/**
 * For a describe block: an emulator started before its tests with `opts`, and an API client holding
 * a token (handed to `onStart`), closed after them.
 */
export function useEmulator(opts: EmulatorOptions, onStart: (emu: Emulator, api: ApiClient) => void): void {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(opts);
    onStart(emu, new ApiClient(emu, await token(emu)));
  });
  afterAll(() => emu?.close());
}

export const POTATO_OPTIONS: PotatoFactsOptions = {
  namespace: 'potato',
  replicas: 4,
  image: 'ghcr.io/example/potato-facts:1.2.0',
  service: true,
  strategy: 'canary-approve',
  steps: [{ setWeight: { weight: 25 } }, { pause: { untilApproved: true } }, { setWeight: { weight: 75 } }, { pause: { duration: 10, unit: 'minutes' } }],
  manifestPath: 'manifests/potato-facts.yaml',
};
export const POTATO = potatoFacts(POTATO_OPTIONS);
export const DEPLOYMENT_MANIFEST = POTATO.manifest;

/** A start-pipeline body: the app's deploy.yml as JSON (POTATO unless given) with its files and an empty context. */
export function canaryDeployment(overrides: Record<string, unknown> = {}, app: PotatoFacts = POTATO): Record<string, unknown> {
  return { ...structuredClone(app.deployment), files: structuredClone(app.files), context: {}, ...overrides };
}

export interface PipelineJson {
  id: string;
  status: string;
  startedAtIso8601?: string;
  completedAtIso8601?: string;
  steps: {
    status: string;
    ref: string;
    type: string;
    dependsOn: string[];
    deployment?: { id?: string; environment?: string; step?: number; totalSteps?: number; weight?: number; phase?: string };
    pause?: { duration?: number; unit?: string; untilApproved?: boolean };
    startedAtIso8601?: string;
    completedAtIso8601?: string;
    statusReason?: string;
  }[];
}

export interface ApiErrorJson {
  error_id: string;
  errors: { message: string; code: string }[];
}
