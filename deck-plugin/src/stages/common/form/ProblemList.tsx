import type { TextProblem } from '@cdaas/contract/deployYaml';
import React from 'react';

import './problemList.css';

export interface ProblemListProps {
  /** The region's accessible name, e.g. "deploy.yml problems". */
  label: string;
  /**
   * One line on the whole text ("2 errors in deploy.yml."), announced as a status; an element
   * when the line is kept up to date on its own while the list is not redrawn.
   */
  status?: React.ReactNode;
  problems: TextProblem[];
  /** Moves the editor's cursor to a problem. */
  goTo(line: number, column?: number): void;
}

/** The problems under a YAML editor, each with a button to its line:column. */
export function ProblemList({ label, status, problems, goTo }: ProblemListProps) {
  if (status === undefined && problems.length === 0) return null;
  return (
    <section className="cdaas-problems" aria-label={label}>
      {status !== undefined && <p role="status">{status}</p>}
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
