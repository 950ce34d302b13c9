/**
 * "CD-as-a-Service Deploy": a progressive Kubernetes deployment (canary or blue/green) run by
 * CD-as-a-Service. Orca runs it as a Webhook stage (alias `webhook`) against the bridge.
 */
import type { IStage, IStageTypeConfig } from '@spinnaker/core';
import { ExecutionDetailsTasks } from '@spinnaker/core';

import { coalesceRemount, lazyComponent, lazyPart, withPart } from '../../lazy';
import { LazyCdaasDeploymentDetails } from '../common/executionDetails/lazyDetails';
import { chosenExpectedArtifactId } from '../common/artifacts/artifactChoice';
import { readFormValues } from './formValues';

// The form and its checks (with the YAML parser) are chunks: index.js keeps only what Deck reads
// at start-up. Written as import() here so the bundler splits them off.
const form = lazyPart('the Deploy stage form', () => import('./CdaasDeployStageConfig'));
const checks = lazyPart('the Deploy stage checks', () => import('./validate'));

/** Both chunks at once (lazy/preload.ts loads them while the pipeline editor is open). */
export const preloadDeployStage = (): Promise<unknown> => Promise.all([form.load(), checks.load()]);

export const CDAAS_DEPLOY_STAGE_KEY = 'cdaasDeploy';

/** Expected artifacts the stage uses, so Deck keeps them (and lists the stage as their consumer). */
function artifactIds(stage: unknown): string[] {
  const cdaas = (stage as IStage | undefined)?.cdaas;
  const values = readFormValues(cdaas, '');
  if (values.manifestSource !== 'artifact') return [];
  return values.manifestArtifacts.map(chosenExpectedArtifactId).filter((id): id is string => !!id);
}

export const cdaasDeployStage: IStageTypeConfig = {
  key: CDAAS_DEPLOY_STAGE_KEY,
  label: 'CD-as-a-Service Deploy',
  description: 'Deploys to Kubernetes through CD-as-a-Service with a canary or blue/green strategy.',
  alias: 'webhook',
  addAliasToConfig: true,
  // Deck mounts a stage's config twice when its type is picked: only the second one renders.
  component: coalesceRemount(lazyComponent(form, (m) => m.CdaasDeployStageConfig, 'the CD-as-a-Service Deploy form')),
  executionDetailsSections: [LazyCdaasDeploymentDetails, ExecutionDetailsTasks],
  // Deck's pipeline check awaits a promise; once the form has loaded the checks, it answers at once.
  validateFn: (values, context) => withPart(checks, (m) => m.validateCdaasDeployStage(values, context)),
  artifactExtractor: artifactIds,
  // Called when an expected artifact is deleted from the pipeline: forget it, keeping the row, so
  // the form asks for another one. The payload is recomputed when the form next opens or changes.
  artifactRemover: (stage: IStage, artifactId: string) => {
    if (!stage.cdaas || !Array.isArray(stage.cdaas.manifestArtifacts)) return;
    stage.cdaas.manifestArtifacts = stage.cdaas.manifestArtifacts.map((a: { expectedArtifactId?: string }) =>
      a.expectedArtifactId === artifactId ? {} : a,
    );
    if (stage.payload && Array.isArray(stage.payload.artifacts)) {
      stage.payload.artifacts = stage.payload.artifacts.filter(
        (a: { expectedArtifactId?: string }) => a.expectedArtifactId !== artifactId,
      );
    }
  },
  // Approvals and long pauses can outlast Orca's 1-hour webhook monitor: let users raise it.
  supportsCustomTimeout: true,
  // A restart reaches the bridge with the same execution id and refId: the bridge starts a new
  // deployment once the earlier one has finished, and reuses it while it still runs.
  restartable: true,
};
