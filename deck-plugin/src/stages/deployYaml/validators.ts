/**
 * Stage-level validation, used by the form (FormikStageConfig `validate`) and by Deck's pipeline
 * validation (`validateFn`): Formik-style errors naming the field, each message readable alone.
 */
import type { IStage } from '@spinnaker/core';

import { formatProblem } from '@cdaas/contract/deployYaml';
import { validateInBackground } from './background/validateInBackground';
import { isBlank } from './stageSettings';
import { isInlineChoice } from '../common/artifacts/artifactChoice';
import { inlineArtifactSummary } from '../common/artifacts/artifactRules';
import { bindingFor, checkYaml, DEPLOY_YML_ARTIFACT_PATH, deployYamlChoice, manifestPathsToBind, peekYaml, settingsOf, type DeployYamlStage } from './model';

export interface DeployYamlStageErrors {
  cdaas?: {
    yaml?: string;
    deployYamlArtifactId?: string;
    bindings?: string;
  };
}

export function unboundPaths(stage: DeployYamlStage): string[] {
  const settings = settingsOf(stage);
  return manifestPathsToBind(settings).filter((p) => !bindingFor(settings, p));
}

export function validateDeployYamlStage(values: IStage): DeployYamlStageErrors {
  const stage = values as DeployYamlStage;
  const settings = settingsOf(stage);
  const cdaas: NonNullable<DeployYamlStageErrors['cdaas']> = {};
  if (settings.source === 'text') {
    if (isBlank(settings.yaml)) {
      cdaas.yaml = 'deploy.yml is empty: paste or write the deploy.yml to run.';
    } else {
      const errors = checkYaml(settings.yaml).problems.filter((p) => p.severity === 'error');
      if (errors.length) {
        cdaas.yaml = `deploy.yml has ${errors.length === 1 ? '1 error' : `${errors.length} errors`}; first: ${formatProblem(errors[0])}`;
      }
    }
  } else if (isInlineChoice(deployYamlChoice(settings))) {
    const problem = inlineArtifactSummary(settings.deployYamlInlineArtifact);
    if (problem) cdaas.deployYamlArtifactId = `deploy.yml inline artifact: ${problem}`;
  } else if (!settings.deployYamlArtifactId) {
    cdaas.deployYamlArtifactId = 'Choose the artifact that holds deploy.yml.';
  }
  if (settings.source === 'artifact' && manifestPathsToBind(settings).includes(DEPLOY_YML_ARTIFACT_PATH)) {
    cdaas.bindings = `The manifest path ${DEPLOY_YML_ARTIFACT_PATH} is reserved for the deploy.yml artifact itself; name the manifest file differently.`;
  }
  if (!cdaas.bindings) {
    const missing = unboundPaths(stage);
    if (missing.length) {
      const names = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
      cdaas.bindings = `Bind an artifact to manifest path${missing.length > 1 ? 's' : ''} ${names}: CD-as-a-Service reads the manifest text from it.`;
    }
  }
  if (!cdaas.bindings) {
    for (const path of manifestPathsToBind(settings)) {
      const binding = bindingFor(settings, path);
      const problem = binding && isInlineChoice(binding) ? inlineArtifactSummary(binding.inline) : undefined;
      if (problem) {
        cdaas.bindings = `Inline artifact for ${path}: ${problem}`;
        break;
      }
    }
  }
  return Object.keys(cdaas).length ? { cdaas } : {};
}

/**
 * Deck's `validateFn`: the same answer as validateDeployYamlStage, at once when the text is small
 * or already checked, else once the background check has answered (Deck awaits a promise).
 */
export function validateDeployYamlStageSoon(values: IStage): DeployYamlStageErrors | Promise<DeployYamlStageErrors> {
  const settings = settingsOf(values as DeployYamlStage);
  if (settings.source !== 'text' || peekYaml(settings.yaml)) return validateDeployYamlStage(values);
  return validateInBackground(settings.yaml).then(() => validateDeployYamlStage(values));
}
