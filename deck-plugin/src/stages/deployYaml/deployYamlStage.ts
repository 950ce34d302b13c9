// STUB (owner: deploy.yml helper).
import type { IStageTypeConfig } from '@spinnaker/core';

export const cdaasDeployYamlStage: IStageTypeConfig = {
  key: 'cdaasDeployYaml',
  label: 'CD-as-a-Service Deployment YAML',
  description: 'Runs a whole CD-as-a-Service deploy.yml.',
};
