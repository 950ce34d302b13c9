// STUB (owner: Deploy stage helper).
import type { IStageTypeConfig } from '@spinnaker/core';

export const cdaasDeployStage: IStageTypeConfig = {
  key: 'cdaasDeploy',
  label: 'CD-as-a-Service Deploy',
  description: 'Deploys to Kubernetes through CD-as-a-Service with a canary or blue/green strategy.',
};
