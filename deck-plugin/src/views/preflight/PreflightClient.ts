/**
 * Reads the bridge's preflight answer (`GET /v1/preflight` on the read listener) through Gate's
 * proxy `cdaas`, the same way the read client reads agents: one class behind an interface, its
 * HTTP failures worded by readErrors.ts. A row that does not validate is kept as an error beside
 * the others, never blanking the panel.
 */
import * as v from 'valibot';

import type { CheckResult, PreflightAnswer } from '@cdaas/contract/preflight';
import { checkResultSchema, preflightRoutes, summarize } from '@cdaas/contract/preflight';
import { CdaasReadClient, describeIssues, parseEntries } from '../../api/CdaasReadClient';
import { readErrorFromInvalid } from '../../api/readErrors';

export interface PreflightReport {
  answer: PreflightAnswer;
  /** Rows of the answer this plugin could not read. */
  errors: string[];
}

export interface PreflightApi {
  loadPreflight(signal?: AbortSignal): Promise<PreflightReport>;
}

const envelopeSchema = v.object({ checkedAt: v.string(), durationMs: v.number(), checks: v.array(v.unknown()) });

export class PreflightClient extends CdaasReadClient implements PreflightApi {
  public async loadPreflight(signal?: AbortSignal): Promise<PreflightReport> {
    const body = await this.getJson(preflightRoutes.preflight.path(), signal);
    const envelope = v.safeParse(envelopeSchema, body);
    if (!envelope.success) throw readErrorFromInvalid('a preflight answer', describeIssues(envelope.issues));
    const { items: checks, skipped: errors } = parseEntries<CheckResult>(checkResultSchema, envelope.output.checks, 'Requirement');
    // Counted from the rows shown, so the summary never disagrees with the table.
    return { answer: { checkedAt: envelope.output.checkedAt, durationMs: envelope.output.durationMs, summary: summarize(checks), checks }, errors };
  }
}
