/**
 * The one seam between the registration and the view components. For now the views are imported
 * statically; making them a lazy chunk is a change to this file only:
 *
 *   const AgentsPageImpl = React.lazy(() => import('./agents/AgentsPage').then((m) => ({ default: m.AgentsPage })));
 *
 * Each view is already wrapped in a Suspense boundary with Deck's Spinner as the fallback.
 */
import type { Application } from '@spinnaker/core';
import { Spinner } from '@spinnaker/core';
import React from 'react';

import { AgentsPage as AgentsPageImpl } from './agents/AgentsPage';
import { ApplicationTab as ApplicationTabImpl } from './application/ApplicationTab';
import { AgentView as AgentViewImpl } from './cluster/AgentView';

function seam<P extends object>(View: React.ComponentType<P>, name: string): React.ComponentType<P> {
  const Wrapped = (props: P) => (
    <React.Suspense fallback={<Spinner size="medium" message="Loading the CD-as-a-Service view…" />}>
      <View {...props} />
    </React.Suspense>
  );
  Wrapped.displayName = `Cdaas${name}`;
  return Wrapped;
}

export const AgentsPage = seam(AgentsPageImpl, 'AgentsPage');
export const AgentView = seam(AgentViewImpl, 'AgentView');
export const ApplicationTab = seam<{ app: Application }>(ApplicationTabImpl, 'ApplicationTab');
