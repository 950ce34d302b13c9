/**
 * The execution details section as index.js registers it: its title now, its code (the status
 * view and its answer schemas) from a chunk when a user opens a CD-as-a-Service stage's details.
 */
import { ExecutionDetailsSection, type IExecutionDetailsSectionProps } from '@spinnaker/core';
import React from 'react';

import { lazyComponent, lazyPart } from '../../../lazy';
import { DEPLOYMENT_DETAILS_TITLE } from './sectionTitle';

const details = lazyPart('the deployment details', () => import('./CdaasDeploymentDetails'));

export const LazyCdaasDeploymentDetails: React.ComponentType<IExecutionDetailsSectionProps> & { title: string } = Object.assign(
  lazyComponent(
    details,
    (m) => m.CdaasDeploymentDetails,
    'the CD-as-a-Service deployment details',
    // Deck renders every section and each shows itself only when its tab is current.
    ({ name, current }: IExecutionDetailsSectionProps, placeholder) => (
      <ExecutionDetailsSection name={name} current={current}>
        {placeholder}
      </ExecutionDetailsSection>
    ),
  ),
  { title: DEPLOYMENT_DETAILS_TITLE },
);
