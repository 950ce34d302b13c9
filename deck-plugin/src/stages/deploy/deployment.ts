/**
 * Turns the form values into what the stage saves for Orca: deploy.yml as JSON, the manifest
 * texts, the artifact bindings, and the Webhook stage fields that point Orca at the bridge.
 * Pure functions: the config component, the tests and the artifact remover share them.
 */
import type { IStage } from '@spinnaker/core';

import type { ArtifactManifest, WebhookStageFields } from '@cdaas/contract/deploy';
import { webhookStageFields } from '@cdaas/contract/deploy';
import { isSpel } from '@cdaas/contract/spel';
import { artifactEntryFor, savedChoice } from '../common/artifacts';
import type { StageContext } from '../common/stageContext';
import type { CdaasDeployFormValues, StepValues } from './formValues';
import { readFormValues } from './formValues';

/** deploy.yml path of the manifest typed in the form. */
export const TEXT_MANIFEST_PATH = 'manifests/stage-manifest.yaml';
export const artifactManifestPath = (index: number) => `manifests/artifact-${index + 1}.yaml`;

export const CANARY_STRATEGY = 'canary';
export const BLUE_GREEN_STRATEGY = 'blue-green';

/** What the form needs to know beyond its own values (the same for both stages). */
export type DeployStageContext = Pick<StageContext, 'bridgeUrl' | 'application'>;

/** A whole number stays a number; an expression (or an invalid entry, flagged by the validator) stays text. */
export function numberOrText(raw: string | undefined): number | string {
  const text = (raw ?? '').trim();
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** deploy.yml target name: the account when it is a plain name, since the CDaaS console shows it. */
export function targetName(account: string): string {
  const a = account.trim();
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(a) && !isSpel(a) ? a : 'kubernetes';
}

export function deployYamlStep(step: StepValues): Record<string, unknown> {
  switch (step.kind) {
    case 'pauseUntilApproved':
      return { pause: { untilApproved: true } };
    case 'pauseDuration':
      return { pause: { duration: numberOrText(step.duration), unit: step.unit ?? 'minutes' } };
    default:
      return { setWeight: { weight: numberOrText(step.weight) } };
  }
}

export interface DeployRequestParts {
  deployment: Record<string, unknown>;
  files: Record<string, string[]>;
  artifacts: ArtifactManifest[];
}

export function deployRequestParts(values: CdaasDeployFormValues, ctx: DeployStageContext): DeployRequestParts {
  const target = targetName(values.account);
  const namespace = values.namespace.trim();
  const strategyName = values.strategy === 'blueGreen' ? BLUE_GREEN_STRATEGY : CANARY_STRATEGY;

  const files: Record<string, string[]> = {};
  const artifacts: ArtifactManifest[] = [];
  const manifests: Array<{ path: string }> = [];
  if (values.manifestSource === 'artifact') {
    values.manifestArtifacts.forEach((a, index) => {
      const path = artifactManifestPath(index);
      const entry = artifactEntryFor(path, a, a.displayName);
      if (!entry) return;
      manifests.push({ path });
      artifacts.push(entry);
    });
  } else {
    manifests.push({ path: TEXT_MANIFEST_PATH });
    files[TEXT_MANIFEST_PATH] = [values.manifestText];
  }

  const strategy =
    values.strategy === 'blueGreen'
      ? {
          blueGreen: {
            redirectTrafficAfter: values.blueGreen.redirectTrafficAfter.map(deployYamlStep),
            shutDownOldVersionAfter: values.blueGreen.shutDownOldVersionAfter.map(deployYamlStep),
          },
        }
      : { canary: { steps: values.canarySteps.map(deployYamlStep) } };

  const deployment: Record<string, unknown> = {
    version: 'v1',
    kind: 'kubernetes',
    application: values.application.trim() || ctx.application,
    deploymentConfig: { timeout: { duration: numberOrText(values.timeout.duration), unit: values.timeout.unit } },
    targets: {
      [target]: { account: values.account.trim(), ...(namespace ? { namespace } : {}), strategy: strategyName },
    },
    manifests,
    strategies: { [strategyName]: strategy },
  };
  if (values.strategy === 'blueGreen') {
    const previewService = values.blueGreen.previewService.trim();
    deployment.trafficManagement = [
      {
        targets: [target],
        kubernetes: [{ activeService: values.blueGreen.activeService.trim(), ...(previewService ? { previewService } : {}) }],
      },
    ];
  }
  return { deployment, files, artifacts };
}

/** The form values a stage saves: only what the chosen manifest source and strategy use. */
export type SavedFormValues = Omit<CdaasDeployFormValues, 'manifestText' | 'manifestArtifacts' | 'canarySteps' | 'blueGreen'> &
  Partial<Pick<CdaasDeployFormValues, 'manifestText' | 'manifestArtifacts' | 'canarySteps' | 'blueGreen'>>;

/**
 * Drops the fields of the options not chosen. Formik keeps them while the form is open, so
 * switching back and forth loses nothing; a reopened form fills the unchosen ones with defaults.
 */
export function savedFormValues(values: CdaasDeployFormValues): SavedFormValues {
  const { manifestText, manifestArtifacts, canarySteps, blueGreen, ...common } = values;
  return {
    ...common,
    // Each row keeps only the artifact it uses: the inline one, or the expected one.
    ...(values.manifestSource === 'text' ? { manifestText } : { manifestArtifacts: manifestArtifacts.map(savedChoice) }),
    ...(values.strategy === 'canary' ? { canarySteps } : { blueGreen }),
  };
}

/** The stage fields the form owns: its values under `cdaas`, and every Webhook stage field. */
export type SavedDeployFields = { cdaas: SavedFormValues } & WebhookStageFields;

export function savedDeployFields(stage: IStage, ctx: DeployStageContext): SavedDeployFields {
  const values = readFormValues(stage.cdaas, ctx.application);
  const parts = deployRequestParts(values, ctx);
  return {
    cdaas: savedFormValues(values),
    ...webhookStageFields({
      bridgeUrl: ctx.bridgeUrl,
      stageRefId: String(stage.refId),
      application: ctx.application,
      // Evaluated by Orca at stage start, so a renamed pipeline never sends a stale name.
      pipelineName: '${execution.name}',
      ...parts,
    }),
  };
}
