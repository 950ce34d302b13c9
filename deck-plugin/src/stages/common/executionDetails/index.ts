// STUB (owner: Deploy stage helper): replaced by the real execution details section.
import type { IExecutionDetailsSectionProps } from '@spinnaker/core';
import type React from 'react';

export const CdaasDeploymentDetails: React.ComponentType<IExecutionDetailsSectionProps> & { title: string } =
  Object.assign(() => null, { title: 'CD-as-a-Service' });
