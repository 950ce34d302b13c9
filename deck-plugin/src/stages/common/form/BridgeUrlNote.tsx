import React from 'react';

import { bridgeUrlProblems } from '../../../settings';
import type { StageContext } from '../stageContext';

/**
 * What Orca would make of the bridge URL both stages save. Against a real Orca a refused URL is a
 * warning for the admin; where Orca's default URL rules do not apply (the sandbox's runner), one
 * muted line says so instead of a box that would mislead a newcomer.
 */
export function BridgeUrlNote({ context }: { context: StageContext }) {
  const problems = bridgeUrlProblems(context.bridgeUrl);
  if (!problems.length) return null;
  if (!context.orcaUrlRulesApply) {
    return (
      <p className="help-block" role="note">
        Bridge URL {context.bridgeUrl}: a real Orca would refuse it with its default URL rules; this one does not apply them.
      </p>
    );
  }
  return (
    <>
      {problems.map((problem) => (
        <div key={problem} className="alert alert-warning" role="alert">
          {problem} Ask your Spinnaker admin.
        </div>
      ))}
    </>
  );
}
