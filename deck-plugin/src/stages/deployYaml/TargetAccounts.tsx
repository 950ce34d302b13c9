import React from 'react';

import type { AgentsState } from '../../api';
import { MIN_KUBERNETES_VERSION } from '@cdaas/contract/kubernetes';
import { didYouMean, listNames, type DeploymentSummary, type TextProblem } from '@cdaas/contract/deployYaml';
import { isSpel } from '@cdaas/contract/spel';
import { LineCounter, parseDocument } from 'yaml';

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

/** Where `targets.<name>.account`'s value starts, 1-based, as the yaml parser's node range gives it. */
type Position = { line: number; column: number };

/**
 * The account values' positions read from the lines, for the block style deploy.yml files are
 * written in: a full parse of a 5,000-line file on the main thread is the long task this avoids.
 * Undefined whenever the layout is anything else (flow style, anchors, quoted keys, a name not
 * found): the caller then parses, so the line:column is always the parser's.
 */
function accountPositionsByLines(yaml: string, names: string[]): Map<string, Position> | undefined {
  const lines = yaml.split('\n');
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const content = (l: string) => /^\s*[^\s#]/.test(l);
  const start = lines.findIndex((l) => /^targets:\s*(#.*)?$/.test(l));
  if (start < 0) return undefined;
  const found = new Map<string, Position>();
  let targetIndent = -1;
  let current: string | undefined;
  let childIndent = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, '');
    if (!content(l)) continue;
    const indent = indentOf(l);
    if (indent === 0) break;
    if (targetIndent < 0) targetIndent = indent;
    if (indent < targetIndent) return undefined;
    if (indent === targetIndent) {
      const key = /^\s*([A-Za-z0-9_.-]+):\s*(#.*)?$/.exec(l);
      if (!key) return undefined;
      current = key[1];
      childIndent = -1;
      continue;
    }
    if (childIndent < 0) childIndent = indent;
    if (indent !== childIndent || current === undefined) continue;
    const account = /^(\s*)account:(\s+)(\S)/.exec(l);
    if (account && !/^[&*!|>[{]/.test(account[3])) {
      if (found.has(current)) return undefined;
      found.set(current, { line: i + 1, column: account[1].length + 'account:'.length + account[2].length + 1 });
    }
  }
  return names.every((n) => found.has(n)) ? found : undefined;
}

function accountPositionsByParsing(yaml: string, names: string[]): Map<string, Position> {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines });
  const found = new Map<string, Position>();
  for (const name of names) {
    const node = doc.getIn(['targets', name, 'account'], true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) continue;
    const pos = lines.linePos(node.range[0]);
    found.set(name, { line: pos.line, column: pos.col });
  }
  return found;
}

/**
 * Each target account with no connected agent (or an unsupported cluster) as a warning at the
 * account's line:column, so the editor marks it and the problem list says it beside the others.
 */
export function accountProblems(yaml: string, summary: DeploymentSummary, agents: AgentsState): TextProblem[] {
  const flagged: Array<{ name: string; text: string }> = [];
  for (const t of summary.targets) {
    const note = accountNote(t.account, agents);
    if (note?.problem) flagged.push({ name: t.name, text: note.text });
  }
  if (!flagged.length) return [];
  const names = flagged.map((f) => f.name);
  const positions = accountPositionsByLines(yaml, names) ?? accountPositionsByParsing(yaml, names);
  return flagged.map(({ name, text }) => {
    const pos = positions.get(name);
    return {
      message: `targets.${name}.account: ${text}`,
      path: `targets.${name}.account`,
      severity: 'warning' as const,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    };
  });
}

/** Exposed for the test that holds the line reading to the parser's answer. */
export const accountPositionsForTest = { byLines: accountPositionsByLines, byParsing: accountPositionsByParsing };
