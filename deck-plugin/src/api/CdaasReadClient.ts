/**
 * Reads CD-as-a-Service data through Gate's proxy `cdaas` (the bridge's read listener). A class
 * behind an interface: views get it from context (CdaasApiContext), tests give it msw-backed fetch.
 */
import * as v from 'valibot';

import type { Agent, ClusterError, ClusterSummary, DisconnectedAgent, KubeService } from '@cdaas/contract/read';
import { agentSchema, clusterErrorSchema, clusterSummarySchema, disconnectedAgentSchema, readRoutes, serviceSchema } from '@cdaas/contract/read';
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

/** One cluster's Services (blue/green's pickers); `offered: false` when its agent sends none. */
export interface ClusterServices {
  cluster: string;
  namespace?: string;
  offered: boolean;
  items: KubeService[];
  errors: ClusterError[];
  /** Entries that did not match the contract, worded. */
  skipped: string[];
}

export interface CdaasReadApi {
  listAgents(signal?: AbortSignal): Promise<AgentList>;
  listClusters(signal?: AbortSignal): Promise<ClusterList>;
  /** The Services of one cluster, of one namespace when given. */
  listServices(agent: string, namespace: string | undefined, signal?: AbortSignal): Promise<ClusterServices>;
}

const agentsEnvelopeSchema = v.object({
  agents: v.array(v.unknown()),
  disconnected: v.optional(v.array(disconnectedAgentSchema)),
  heartbeatStaleAfterSeconds: v.optional(v.number()),
});
const clustersEnvelopeSchema = v.object({ clusters: v.array(v.unknown()) });
const servicesEnvelopeSchema = v.object({
  cluster: v.string(),
  namespace: v.optional(v.string()),
  offered: v.boolean(),
  items: v.array(v.unknown()),
  errors: v.array(clusterErrorSchema),
});

export function describeIssues(issues: ReadonlyArray<v.BaseIssue<unknown>>): string {
  return issues
    .slice(0, 3)
    .map((i) => (issueField(i) ? `${issueField(i)}: ${issueText(i)}` : issueText(i)))
    .join('; ');
}

/** Keeps an answer's valid entries; each invalid one becomes a worded note beside them. */
export function parseEntries<T>(schema: v.GenericSchema<unknown, T>, entries: unknown[], what: string): { items: T[]; skipped: string[] } {
  const items: T[] = [];
  const skipped: string[] = [];
  entries.forEach((entry, index) => {
    const parsed = v.safeParse(schema, entry);
    if (parsed.success) items.push(parsed.output);
    else skipped.push(`${what} entry ${index + 1} was skipped: ${describeIssues(parsed.issues)}.`);
  });
  return { items, skipped };
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
    const { items: agents, skipped: errors } = parseEntries(agentSchema, envelope.output.agents, 'Agent');
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
    const { items: clusters, skipped: errors } = parseEntries(clusterSummarySchema, envelope.output.clusters, 'Cluster');
    return { clusters, errors };
  }

  public async listServices(agent: string, namespace: string | undefined, signal?: AbortSignal): Promise<ClusterServices> {
    const path = readRoutes.services.path({ agent }) + (namespace ? `?${new URLSearchParams({ namespace })}` : '');
    const envelope = v.safeParse(servicesEnvelopeSchema, await this.getJson(path, signal));
    if (!envelope.success) throw readErrorFromInvalid('a list of Services', describeIssues(envelope.issues));
    const { items, skipped } = parseEntries(serviceSchema, envelope.output.items, 'Service');
    const { cluster, offered, errors } = envelope.output;
    return { cluster, ...(envelope.output.namespace ? { namespace: envelope.output.namespace } : {}), offered, items, errors, skipped };
  }

  /** GETs a read path as JSON; every failure becomes a worded CdaasReadError (readErrors.ts). */
  protected getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    return gateJson(this.http, this.baseUrl, path, { method: 'GET', signal });
  }
}

