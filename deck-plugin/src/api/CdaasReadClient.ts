/**
 * Reads CD-as-a-Service data through Gate's proxy `cdaas` (the bridge's read listener). A class
 * behind an interface: views get it from context (CdaasApiContext), tests give it msw-backed fetch.
 */
import * as v from 'valibot';

import type { Agent, ClusterSummary } from '@cdaas/contract/read';
import { agentSchema, clusterSummarySchema, readPaths } from '@cdaas/contract/read';
import { errorAnswerSchema, issueField, issueText } from '@cdaas/contract/deploy';
import { readErrorFromInvalid, readErrorFromNetwork, readErrorFromStatus } from './readErrors';

/** The HTTP function the client uses: `fetch` in Deck, a wrapper in tests. */
export type HttpFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Connected agents, plus the entries of the answer that were not valid agents (kept as errors). */
export interface AgentList {
  agents: Agent[];
  errors: string[];
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

const agentsEnvelopeSchema = v.object({ agents: v.array(v.unknown()) });
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
    const body = await this.getJson(readPaths.agents, signal);
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
    return { agents, errors };
  }

  public async listClusters(signal?: AbortSignal): Promise<ClusterList> {
    const body = await this.getJson(readPaths.clusters, signal);
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
  protected async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    let response: Response;
    try {
      response = await this.http(this.baseUrl + path, {
        method: 'GET',
        headers: { Accept: 'application/json' },
        // Gate authenticates Deck by its session cookie, on another origin than Deck.
        credentials: 'include',
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw readErrorFromNetwork(this.baseUrl.replace(/\/proxies\/.*$/, ''), e);
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const upstream = Number(response.headers.get('X-Proxy-Status-Code')) || undefined;
      const answer = v.safeParse(errorAnswerSchema, body);
      throw readErrorFromStatus(response.status, upstream, answer.success ? answer.output.error : undefined);
    }
    if (body === undefined) {
      throw readErrorFromInvalid('an answer', 'not JSON');
    }
    return body;
  }
}

