import React from 'react';

import type { AgentsState } from '../../api';
import { MIN_KUBERNETES_VERSION } from '@cdaas/contract/kubernetes';
import { didYouMean, listNames, type DeploymentSummary, type DeployYamlResult, type TextProblem } from '@cdaas/contract/deployYaml';
import { isSpel } from '@cdaas/contract/spel';

/**
 * Whether each target's account has a connected Remote Network Agent: the commonest reason a
 * deploy.yml that validates still fails at run time. Advisory: it never blocks saving, and when
 * the agents cannot be read the targets show as written.
 */
export function AccountsNote({ agents }: { agents: AgentsState }) {
  const { loading, error, data, reload } = agents;
  if (loading && !data) return <p className="help-block">Checking the accounts against the connected agents...</p>;
  if (error) {
    return (
      <p className="help-block">
        The connected agents could not be read, so the accounts are not checked: {error.message}{' '}
        <button type="button" className="btn btn-xs btn-default" onClick={reload}>
          Retry
        </button>
      </p>
    );
  }
  if (!data) return null;
  return (
    <>
      {data.agents.length === 0 && (
        <p className="error-message">No Remote Network Agent is connected to CD-as-a-Service: no target can deploy until one is.</p>
      )}
      {data.errors.map((e, i) => (
        <p key={i} className="help-block">
          {e}
        </p>
      ))}
    </>
  );
}

type AccountNote = { text: string; problem: boolean } | undefined;

// Each check of a large deploy.yml asks about every target's account again, and each unknown one
// costs a did-you-mean over the agents' names: the answer is kept per agents state (one object
// per read of the agents), so only accounts not seen since the last read are worked out.
const notesByAgents = new WeakMap<AgentsState, Map<string, AccountNote>>();

/** The note after one target's account, or nothing when all is well or unknown. */
export function accountNote(account: string, agents: AgentsState): AccountNote {
  let notes = notesByAgents.get(agents);
  if (!notes) notesByAgents.set(agents, (notes = new Map()));
  if (!notes.has(account)) notes.set(account, noteFor(account, agents));
  return notes.get(account);
}

function noteFor(account: string, agents: AgentsState): AccountNote {
  if (isSpel(account)) return { text: 'decided when the stage runs', problem: false };
  const data = agents.data;
  if (!data || agents.error || data.agents.length === 0) return undefined;
  const names = data.agents.map((a) => a.agentIdentifier);
  if (!names.includes(account)) {
    const hint = didYouMean(account, names);
    return {
      text: `no agent named ${account} is connected${hint ? `; did you mean ${hint}?` : '.'} Connected: ${listNames(names)}`,
      problem: true,
    };
  }
  const cluster = data.clusters[account];
  if (cluster?.supported === false) {
    return { text: `its cluster runs Kubernetes ${cluster.kubernetesVersion ?? '(unknown)'}; CD-as-a-Service needs ${MIN_KUBERNETES_VERSION} or later`, problem: true };
  }
  return { text: 'agent connected', problem: false };
}

/**
 * Each target account with no connected agent (or an unsupported cluster) as a warning at the
 * account's line:column, so the editor marks it and the problem list says it beside the others.
 */
export function accountProblems(summary: DeploymentSummary, agents: AgentsState, positions: DeployYamlResult['accountPositions']): TextProblem[] {
  const problems: TextProblem[] = [];
  for (const t of summary.targets) {
    const note = accountNote(t.account, agents);
    if (!note?.problem) continue;
    const pos = positions.get(t.name);
    problems.push({
      message: `targets.${t.name}.account: ${note.text}`,
      path: `targets.${t.name}.account`,
      severity: 'warning',
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  }
  return problems;
}
