import type { TextProblem } from '@cdaas/contract/deployYaml';
import React from 'react';

import './problemList.css';

export interface ProblemListProps {
  /** The region's accessible name, e.g. "deploy.yml problems". */
  label: string;
  /**
   * One line on the whole text ("2 errors in deploy.yml."), announced as a status: a string, or
   * an element rendering its own `<StatusLine>` when the line is kept up to date on its own (and
   * marked busy) while the list is not redrawn.
   */
  status?: React.ReactNode;
  problems: TextProblem[];
  /** Moves the editor's cursor to a problem. */
  goTo(line: number, column?: number): void;
}

/**
 * The list's status line. `busy` while the text is being checked again: screen readers then wait
 * for the answer instead of announcing the line's old words (aria-busy on a live region).
 */
export function StatusLine({ busy, children }: { busy?: boolean; children: React.ReactNode }) {
  return (
    <p role="status" aria-busy={busy || undefined}>
      {children}
    </p>
  );
}

/** The problems under a YAML editor, each with a button to its line:column. */
export function ProblemList({ label, status, problems, goTo }: ProblemListProps) {
  if (status === undefined && problems.length === 0) return null;
  return (
    <section className="cdaas-problems" aria-label={label}>
      {typeof status === 'string' ? <StatusLine>{status}</StatusLine> : status}
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i} className={p.severity === 'error' ? 'cdaas-problem-error' : 'cdaas-problem-warning'}>
              {p.severity === 'error' ? 'Error' : 'Warning'}{' '}
              {p.line !== undefined && (
                <button type="button" className="link" onClick={() => goTo(p.line!, p.column)} aria-label={`Go to line ${p.line}, column ${p.column ?? 1}`}>
                  {`${p.line}:${p.column ?? 1}`}
                </button>
              )}
              <span>{p.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
