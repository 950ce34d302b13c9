/**
 * Approve or roll back a CD-as-a-Service step paused until approved, and read who may act and who
 * acted, through Gate's proxy `cdaas` (contract: contract/src/approvals.ts). A class behind an
 * interface, handed to views through CdaasApprovalsContext. The user is never sent: Gate adds it.
 */
import * as v from 'valibot';

import type { ApprovalAction, ApprovalAnswer, ApprovalRequest, AuditEntry } from '@cdaas/contract/approvals';
import { approvalAnswerSchema, approvalRefusalSchema, approvalRoutes, approvalsAnswerSchema, auditEntrySchema } from '@cdaas/contract/approvals';
import { describeIssues } from './CdaasReadClient';
import { type HttpFetch, gateJson } from './gateRequest';
import { type CdaasReadError, approvalRefusal, readErrorFromInvalid } from './readErrors';

/** Who may act now, and the attempts recorded, with entries this version cannot read kept as errors. */
export interface ApprovalsView {
  user?: string;
  permission: { allowed: boolean; reason?: AuditEntry['reason']; message?: string };
  audit: AuditEntry[];
  errors: string[];
}

export interface CdaasApprovalsApi {
  /** `where` names the stage the deployment runs for; the bridge checks it started it there. */
  getApprovals(pipelineId: string, where: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalsView>;
  act(action: ApprovalAction, pipelineId: string, stepRef: string, request: ApprovalRequest): Promise<ApprovalAnswer>;
}

const approvalsEnvelopeSchema = v.object({ ...approvalsAnswerSchema.entries, audit: v.array(v.unknown()) });

/** A refusal with a reason code becomes the reason's words; anything else readErrors words by status. */
function refusalOf(status: number, body: unknown): CdaasReadError | undefined {
  const parsed = v.safeParse(approvalRefusalSchema, body);
  return parsed.success ? approvalRefusal(status, parsed.output.reason, parsed.output.error) : undefined;
}

export class CdaasApprovalsClient implements CdaasApprovalsApi {
  private readonly baseUrl: string;

  /** @param baseUrl Gate's proxy URL, e.g. `https://gate.example.com/proxies/cdaas` */
  constructor(private readonly http: HttpFetch, baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  public async getApprovals(pipelineId: string, where: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalsView> {
    const query = new URLSearchParams({ application: where.application, executionId: where.executionId, stageRefId: where.stageRefId });
    const path = `${approvalRoutes.approvals.path({ pipelineId })}?${query.toString()}`;
    const body = await gateJson(this.http, this.baseUrl, path, { method: 'GET', signal, onError: refusalOf });
    const envelope = v.safeParse(approvalsEnvelopeSchema, body);
    if (!envelope.success) throw readErrorFromInvalid('the approvals of a deployment', describeIssues(envelope.issues));
    const audit: AuditEntry[] = [];
    const errors: string[] = [];
    envelope.output.audit.forEach((entry, index) => {
      const parsed = v.safeParse(auditEntrySchema, entry);
      if (parsed.success) audit.push(parsed.output);
      else errors.push(`Approval record ${index + 1} could not be read: ${describeIssues(parsed.issues)}.`);
    });
    const { user, permission } = envelope.output;
    return { ...(user ? { user } : {}), permission, audit, errors };
  }

  public async act(action: ApprovalAction, pipelineId: string, stepRef: string, request: ApprovalRequest): Promise<ApprovalAnswer> {
    const body = await gateJson(this.http, this.baseUrl, approvalRoutes[action].path({ pipelineId, stepRef }), { method: 'POST', body: request, onError: refusalOf });
    const parsed = v.safeParse(approvalAnswerSchema, body);
    if (!parsed.success) throw readErrorFromInvalid(`an answer to the ${action === 'approve' ? 'approval' : 'roll back'}`, describeIssues(parsed.issues));
    return parsed.output;
  }
}
