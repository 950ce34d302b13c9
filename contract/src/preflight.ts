/**
 * The preflight answer: every system requirement of CD-as-a-Service checked from where the bridge
 * runs (the network path that matters), each with its state and, when unmet, the one-line fix.
 * The `cdaas-preflight` CLI prints it (table or `--json`); the read listener serves it at
 * `GET /v1/preflight` for Deck's agents page. It never carries a secret or a token.
 */
import * as v from 'valibot';

import { route } from './routes';

export const preflightRoutes = {
  preflight: route('GET', '/v1/preflight'),
} as const;

/** The groups `--only` selects, in the order the table shows them. */
export const PREFLIGHT_GROUPS = ['network', 'proxy', 'token', 'agents', 'plugin', 'spinnaker'] as const;
export type PreflightGroup = (typeof PREFLIGHT_GROUPS)[number];

/** `skip`: not checked, because an earlier step failed or nothing is configured to check. */
export const CHECK_STATES = ['pass', 'warn', 'fail', 'skip'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

export const checkResultSchema = v.object({
  /** Stable id, e.g. `network:agentHub:tls`, `agents:prod:kubernetes`. */
  id: v.string(),
  group: v.picklist(PREFLIGHT_GROUPS),
  /** The requirement in the system-requirements table's words. */
  requirement: v.string(),
  /** The host, URL or agent the check is about. */
  target: v.optional(v.string()),
  state: v.picklist(CHECK_STATES),
  /** What was seen. */
  detail: v.string(),
  /** For warn and fail: which host or setting, and what to change, in one line. */
  fix: v.optional(v.string()),
  durationMs: v.number(),
});
export type CheckResult = v.InferOutput<typeof checkResultSchema>;

export const preflightAnswerSchema = v.object({
  checkedAt: v.string(),
  durationMs: v.number(),
  summary: v.object({ pass: v.number(), warn: v.number(), fail: v.number(), skip: v.number() }),
  checks: v.array(checkResultSchema),
});
export type PreflightAnswer = v.InferOutput<typeof preflightAnswerSchema>;

/** The scopes the features need (Armory's docs; the emulator grants them per client). */
export const REQUIRED_SCOPES = {
  deploy: { scope: 'api:deployment:full', role: 'Deployments Full Access', feature: 'deploying' },
  infrastructure: { scope: 'read:infrastructure:data', feature: 'the infrastructure views' },
} as const;

export function summarize(checks: readonly CheckResult[]): PreflightAnswer['summary'] {
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) summary[c.state]++;
  return summary;
}
