/** The agents page's rows, without React: connected agents, disconnected ones, their clusters. */
import type { Agent, ClusterSummary, DisconnectedAgent } from '@cdaas/contract/read';
import { clusterErrorText } from '../../api/readErrors';
import type { AgentsData } from '../../api/useAgents';
import type { PartialError } from '../common/ViewStates';

export interface AgentRow {
  agentIdentifier: string;
  connected: boolean;
  agent?: Agent;
  disconnected?: DisconnectedAgent;
  cluster?: ClusterSummary;
}

export function agentRows(data: AgentsData): AgentRow[] {
  const rows: AgentRow[] = data.agents.map((agent) => ({
    agentIdentifier: agent.agentIdentifier,
    connected: true,
    agent,
    cluster: data.clusters[agent.agentIdentifier],
  }));
  const connected = new Set(rows.map((r) => r.agentIdentifier));
  for (const d of data.disconnected ?? []) {
    // A bridge that lists an agent both ways: connected wins, it is what CDaaS says now.
    if (!connected.has(d.agentIdentifier)) rows.push({ agentIdentifier: d.agentIdentifier, connected: false, disconnected: d });
  }
  return rows;
}

/** Every error of the answer, the clusters' ones named by their agent. */
export function agentErrors(data: AgentsData): PartialError[] {
  const errors: PartialError[] = data.errors.map((text) => ({ text }));
  for (const c of Object.values(data.clusters)) {
    for (const e of c.errors) errors.push({ cluster: c.cluster, text: clusterErrorText(e) });
  }
  return errors;
}
