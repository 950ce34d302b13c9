import React from 'react';

import type { AgentsState } from '../../api';
import type { DeploymentSummary } from '@cdaas/contract/deployYaml';
import { accountNote, AccountsNote } from './TargetAccounts';

export interface DeployYamlSummaryProps {
  summary: DeploymentSummary;
  /** Where a path manifest comes from: the bound artifact's name, or undefined when unbound. */
  boundArtifact(path: string): string | undefined;
  /** The connected agents, to say whether each target's account can be reached. */
  agents: AgentsState;
}

/** "What was understood": deploy.yml read back in words, beside the editor. */
export function DeployYamlSummary({ summary, boundArtifact, agents }: DeployYamlSummaryProps) {
  const { application, targets, strategies, manifests } = summary;
  return (
    <section className="cdaas-deploy-yaml-summary" aria-label="What was understood">
      {application && <p>Application: {application}</p>}
      <h6>Targets</h6>
      <AccountsNote agents={agents} />
      {targets.length ? (
        <ul aria-label="Targets">
          {targets.map((t) => {
            const note = accountNote(t.account, agents);
            return (
              <li key={t.name}>
                <strong>{t.name}</strong>: account {t.account}
                {note && <span className={note.problem ? 'cdaas-problem-warning' : 'text-muted'}> ({note.text})</span>}
                {t.namespace ? `, namespace ${t.namespace}` : ''}, strategy {t.strategy}
                {t.dependsOn.length ? `; waits for ${t.dependsOn.join(', ')}` : ''}
                {t.beforeDeployment.length ? `; before deploying: ${t.beforeDeployment.join(', ')}` : ''}
                {t.afterDeployment.length ? `; after deploying: ${t.afterDeployment.join(', ')}` : ''}
              </li>
            );
          })}
        </ul>
      ) : (
        <p>No targets yet.</p>
      )}
      <h6>Strategies</h6>
      {strategies.length ? (
        <ul aria-label="Strategies">
          {strategies.map((s) => (
            <li key={s.name}>
              <strong>{s.name}</strong>: {s.description}
            </li>
          ))}
        </ul>
      ) : (
        <p>No strategies yet.</p>
      )}
      <h6>Manifests</h6>
      {manifests.length ? (
        <ul aria-label="Manifests">
          {manifests.map((m, i) => {
            const to = m.targets ? `to ${m.targets.join(', ')}` : 'to all targets';
            if (m.source === 'inline') {
              return (
                <li key={`inline-${i}`}>
                  <strong>{m.label}</strong>: written inside deploy.yml, {to}
                </li>
              );
            }
            const artifact = boundArtifact(m.label);
            return (
              <li key={`path-${i}`}>
                <strong>{m.label}</strong>: {artifact ? `from artifact ${artifact}` : 'no artifact bound yet'}, {to}
              </li>
            );
          })}
        </ul>
      ) : (
        <p>No manifests yet.</p>
      )}
    </section>
  );
}
