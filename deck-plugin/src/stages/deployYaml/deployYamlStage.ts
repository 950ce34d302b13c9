import { ExecutionDetailsTasks } from '@spinnaker/core';
import type { IStage, IStageTypeConfig } from '@spinnaker/core';
import type { FormikErrors } from 'formik';

import { coalesceRemount, lazyComponent, lazyPart, withPart } from '../../lazy';
import { LazyCdaasDeploymentDetails } from '../common/executionDetails/lazyDetails';
import { chosenExpectedArtifactId } from '../common/artifacts/artifactChoice';
import { deployYamlChoice, settingsOf, type DeployYamlStage } from './stageSettings';

// The form and the checks (with the deploy.yml library) are chunks, loaded when first needed.
const form = lazyPart('the Deployment YAML stage form', () => import('./DeployYamlStageConfig'));
const checks = lazyPart('the Deployment YAML stage checks', () => import('./validators'));

/** Both chunks at once (lazy/preload.ts loads them while the pipeline editor is open). */
export const preloadDeployYamlStage = (): Promise<unknown> => Promise.all([form.load(), checks.load()]);

/** Expected artifacts this stage consumes, so Deck knows they are in use (and can offer them). */
function consumedArtifactIds(stage: IStage): string[] {
  const s = settingsOf(stage as DeployYamlStage);
  const ids = [s.source === 'artifact' ? chosenExpectedArtifactId(deployYamlChoice(s)) : undefined, ...s.bindings.map(chosenExpectedArtifactId)];
  return ids.filter((id): id is string => !!id);
}

export const CDAAS_DEPLOY_YAML_STAGE_KEY = 'cdaasDeployYaml';

export const cdaasDeployYamlStage: IStageTypeConfig = {
  key: CDAAS_DEPLOY_YAML_STAGE_KEY,
  label: 'CD-as-a-Service Deployment YAML',
  description: 'Runs a whole CD-as-a-Service deploy.yml, written here or from an artifact, with its manifests bound to pipeline artifacts.',
  // Orca runs it as a Webhook stage calling the CDaaS bridge (see contract/deploy.ts).
  alias: 'webhook',
  addAliasToConfig: true,
  // Deck mounts a stage config twice when its type is picked (see coalesceRemount).
  component: coalesceRemount(lazyComponent(form, (m) => m.DeployYamlStageConfig, 'the CD-as-a-Service Deployment YAML form')),
  executionDetailsSections: [LazyCdaasDeploymentDetails, ExecutionDetailsTasks],
  // Formik's error type maps every IStage key (an index signature); ours names the fields it sets.
  // Deck's pipeline check awaits a promise; once the form has loaded the checks, it answers at once.
  validateFn: (values) => withPart(checks, (m) => m.validateDeployYamlStageSoon(values as IStage) as FormikErrors<IStage> | Promise<FormikErrors<IStage>>),
  artifactExtractor: (context) => consumedArtifactIds(context as IStage),
  artifactRemover: (stage, artifactId) => {
    // Deck calls this when an expected artifact is deleted from the pipeline; it edits the stage in place by contract.
    const s = stage as DeployYamlStage;
    if (!s.cdaas) return;
    if (s.cdaas.deployYamlArtifactId === artifactId) delete s.cdaas.deployYamlArtifactId;
    if (Array.isArray(s.cdaas.bindings)) s.cdaas.bindings = s.cdaas.bindings.map((b) => (b.expectedArtifactId === artifactId ? { path: b.path } : b));
  },
  // Same as the Deploy stage: the bridge deploys anew for a restart once the earlier deployment ended.
  restartable: true,
  // Approvals and long pauses can outlast Orca's 1-hour webhook monitor: let users raise it.
  supportsCustomTimeout: true,
};
