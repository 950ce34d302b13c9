/**
 * Reads CD-as-a-Service data through Gate's proxy `cdaas` (the bridge's read listener). A class
 * behind an interface: views get it from context (CdaasApiContext), tests give it msw-backed fetch.
 */
import * as v from 'valibot';

import type { Agent, ClusterSummary, DisconnectedAgent } from '@cdaas/contract/read';
import { agentSchema, clusterSummarySchema, disconnectedAgentSchema, readRoutes } from '@cdaas/contract/read';
import { issueField, issueText } from '@cdaas/contract/errors';
import { type HttpFetch, gateJson } from './gateRequest';
import { readErrorFromInvalid } from './readErrors';

export type { HttpFetch } from './gateRequest';

/** Connected agents, plus the entries of the answer that were not valid agents (kept as errors). */
export interface AgentList {
  agents: Agent[];
  errors: string[];
  /** Accounts this bridge deployed to whose agent is not connected now (the agents page lists them). */
  disconnected?: DisconnectedAgent[];
  /** The bridge's heartbeat threshold, when it states one. */
  heartbeatStaleAfterSeconds?: number;
}

/** Per-cluster summaries (Kubernetes version, support, the errors that cut each one short). */
export interface ClusterList {
  clusters: ClusterSummary[];
  errors: string[];
}

export interface CdaasReadApi {
  listAgents(signal?: AbortSignal): Promise<AgentList>;
  listClusters(signal?: AbortSignal): Promise<ClusterList>;
}

const agentsEnvelopeSchema = v.object({
  agents: v.array(v.unknown()),
  disconnected: v.optional(v.array(disconnectedAgentSchema)),
  heartbeatStaleAfterSeconds: v.optional(v.number()),
});
const clustersEnvelopeSchema = v.object({ clusters: v.array(v.unknown()) });

export function describeIssues(issues: ReadonlyArray<v.BaseIssue<unknown>>): string {
  return issues
    .slice(0, 3)
    .map((i) => (issueField(i) ? `${issueField(i)}: ${issueText(i)}` : issueText(i)))
    .join('; ');
}

export class CdaasReadClient implements CdaasReadApi {
  private readonly baseUrl: string;

  /**
   * @param http the HTTP function (Deck: `fetch` with the Gate session cookie)
   * @param baseUrl Gate's proxy URL, e.g. `https://gate.example.com/proxies/cdaas`
   */
  constructor(private readonly http: HttpFetch, baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  public async listAgents(signal?: AbortSignal): Promise<AgentList> {
    const body = await this.getJson(readRoutes.agents.path(), signal);
    const envelope = v.safeParse(agentsEnvelopeSchema, body);
    if (!envelope.success) {
      throw readErrorFromInvalid('a list of agents', describeIssues(envelope.issues));
    }
    // One malformed entry must not hide the valid agents: it becomes an error beside them.
    const agents: Agent[] = [];
    const errors: string[] = [];
    envelope.output.agents.forEach((entry, index) => {
      const parsed = v.safeParse(agentSchema, entry);
      if (parsed.success) {
        agents.push(parsed.output);
      } else {
        errors.push(`Agent entry ${index + 1} was skipped: ${describeIssues(parsed.issues)}.`);
      }
    });
    agents.sort((a, b) => a.agentIdentifier.localeCompare(b.agentIdentifier));
    const { disconnected, heartbeatStaleAfterSeconds } = envelope.output;
    return { agents, errors, ...(disconnected && { disconnected }), ...(heartbeatStaleAfterSeconds !== undefined && { heartbeatStaleAfterSeconds }) };
  }

  public async listClusters(signal?: AbortSignal): Promise<ClusterList> {
    const body = await this.getJson(readRoutes.clusters.path(), signal);
    const envelope = v.safeParse(clustersEnvelopeSchema, body);
    if (!envelope.success) {
      throw readErrorFromInvalid('a list of clusters', describeIssues(envelope.issues));
    }
    const clusters: ClusterSummary[] = [];
    const errors: string[] = [];
    envelope.output.clusters.forEach((entry, index) => {
      const parsed = v.safeParse(clusterSummarySchema, entry);
      if (parsed.success) clusters.push(parsed.output);
      else errors.push(`Cluster entry ${index + 1} was skipped: ${describeIssues(parsed.issues)}.`);
    });
    return { clusters, errors };
  }

  /** GETs a read path as JSON; every failure becomes a worded CdaasReadError (readErrors.ts). */
  protected getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    return gateJson(this.http, this.baseUrl, path, { method: 'GET', signal });
  }
}

