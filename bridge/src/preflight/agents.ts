/**
 * Connected Remote Network Agents, through the bridge's CDaaS client: none connected fails with the
 * install hint; each agent's cluster must run Kubernetes 1.16 or later (the contract's minimum);
 * a heartbeat older than the contract's staleness limit is a warning.
 */
import type { CheckResult } from '@cdaas/contract/preflight';
import { MIN_KUBERNETES_VERSION, kubernetesSupported } from '@cdaas/contract/kubernetes';
import { HEARTBEAT_STALE_AFTER_SECONDS } from '@cdaas/contract/read';
import type { CdaasClient } from '../cdaas/client';
import { type CheckMeta, result, timed, withTimeout } from './checks';

export const RNA_INSTALL_HINT =
  'install the Remote Network Agent in each target cluster (Helm chart armory/remote-network-agent, with a CD-as-a-Service client credential); it must reach agent-hub.cloud.armory.io:443 and auth.cloud.armory.io:443';

export interface AgentCheckOptions {
  timeoutMs: number;
  now?: () => number;
}

export async function checkAgents(client: CdaasClient, opts: AgentCheckOptions): Promise<CheckResult[]> {
  const now = opts.now ?? Date.now;
  const listMeta: CheckMeta = { id: 'agents:connected', group: 'agents', requirement: 'At least one Remote Network Agent is connected', target: '/identity/connected-agents' };
  const started = performance.now();
  let agents;
  try {
    agents = await withTimeout(client.connectedAgents(), opts.timeoutMs);
  } catch (err) {
    return [
      result(
        listMeta,
        { state: 'fail', detail: `cannot list connected agents: ${err instanceof Error ? err.message : String(err)}`, fix: 'see the token and API network checks; the bridge lists agents with its own credential' },
        performance.now() - started,
      ),
    ];
  }
  const names = [...new Set(agents.map((a) => a.agentIdentifier))].sort();
  const out: CheckResult[] = [
    result(
      listMeta,
      names.length
        ? { state: 'pass', detail: `${names.length} connected: ${names.join(', ')}` }
        : { state: 'fail', detail: 'no agent is connected: nothing can be deployed to', fix: RNA_INSTALL_HINT },
      performance.now() - started,
    ),
  ];
  const perAgent = await Promise.all(
    names.map(async (name) => {
      const rows: CheckResult[] = [];
      const agent = agents.find((a) => a.agentIdentifier === name)!;
      const beat = agent.lastHeartbeatAtIso8601 ? Date.parse(agent.lastHeartbeatAtIso8601) : NaN;
      const age = Math.round((now() - beat) / 1000);
      rows.push(
        result(
          { id: `agents:${name}:heartbeat`, group: 'agents', requirement: 'The agent heartbeats regularly', target: name },
          Number.isNaN(beat)
            ? { state: 'warn', detail: 'CD-as-a-Service reports no heartbeat time', fix: `check the agent's logs in cluster ${name}` }
            : age > HEARTBEAT_STALE_AFTER_SECONDS
              ? { state: 'warn', detail: `last heartbeat ${age} s ago (stale after ${HEARTBEAT_STALE_AFTER_SECONDS} s)`, fix: `the agent in ${name} may have lost agent-hub.cloud.armory.io:443: check its pod and its egress` }
              : { state: 'pass', detail: `last heartbeat ${Math.max(0, age)} s ago` },
          0,
        ),
      );
      rows.push(
        await timed(
          { id: `agents:${name}:kubernetes`, group: 'agents', requirement: `The cluster runs Kubernetes ${MIN_KUBERNETES_VERSION} or later`, target: name },
          async () => {
            const c = await withTimeout(client.cluster(name), opts.timeoutMs);
            const ok = kubernetesSupported(c.kubernetesVersion);
            if (ok === undefined) return { state: 'warn', detail: `Kubernetes version "${c.kubernetesVersion}" is unreadable`, fix: `check the agent in ${name} reports its cluster` };
            return ok
              ? { state: 'pass', detail: `Kubernetes ${c.kubernetesVersion}` }
              : {
                  state: 'fail',
                  detail: `Kubernetes ${c.kubernetesVersion} is older than ${MIN_KUBERNETES_VERSION}`,
                  fix: `upgrade cluster ${name} to Kubernetes ${MIN_KUBERNETES_VERSION} or later: CD-as-a-Service does not deploy to older clusters`,
                };
          },
          () => `the agents' Kubernetes cache has no answer for ${name}: check the agent in that cluster`,
        ),
      );
      return rows;
    }),
  );
  return out.concat(...perAgent);
}
