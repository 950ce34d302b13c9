/**
 * The YAML stage's data, without React: what the stage JSON holds under `cdaas`, and the Webhook
 * stage fields derived from it (what Orca actually runs). Deck keeps the stage JSON; Orca only
 * reads the webhook fields; the bridge gets `payload`.
 */
import type { IExpectedArtifact, IPipeline } from '@spinnaker/core';

import {
  artifactExpression,
  DEPLOY_YML_ARTIFACT_PATH,
  webhookStageFields,
  type ArtifactManifest,
  type WebhookStageFields,
} from '@cdaas/contract/deploy';
import type { DeployYamlResult } from '@cdaas/contract/deployYaml';
import { knownResult, validateNow } from './background/validateInBackground';
import type { StageContext as FormContext } from '../common/stageContext';

export { settingsOf, type DeployYamlSettings, type DeployYamlSource, type DeployYamlStage, type ManifestBinding } from './stageSettings';
import { isBlank, settingsOf, type DeployYamlSettings, type DeployYamlStage, type ManifestBinding } from './stageSettings';

export { DEPLOY_YML_ARTIFACT_PATH };

// Formik validates and the form re-renders on every keystroke; the same text is checked once
// (the answers are shared with the background checks).
export const checkYaml: (text: string) => DeployYamlResult = validateNow;

/**
 * Up to this size a deploy.yml is checked on the main thread as the form renders (a few ms);
 * larger ones only in the background (validateInBackground), so a keystroke never waits for a parse.
 */
export const MAIN_THREAD_CHARS = 20_000;

export const checkedInBackground = (text: string): boolean => text.length > MAIN_THREAD_CHARS;

/** The result for `text` without blocking: known, or cheap enough to compute now; else undefined. */
export function peekYaml(text: string): DeployYamlResult | undefined {
  return knownResult(text) ?? (checkedInBackground(text) ? undefined : checkYaml(text));
}

/**
 * Paths that need an artifact: those deploy.yml lists, or those the user listed for an artifact
 * deploy.yml. `checked` is the answer for the text when the caller has it (a large text still
 * being checked in the background gives the paths of the last answer instead of blocking).
 */
export function manifestPathsToBind(settings: DeployYamlSettings, checked?: DeployYamlResult): string[] {
  if (settings.source === 'artifact') {
    // Blank rows and repeats are flagged in the form; each path is bound once.
    const paths = new Set<string>();
    for (const b of settings.bindings) if (b.path.trim() !== '') paths.add(b.path.trim());
    return [...paths];
  }
  if (isBlank(settings.yaml)) return [];
  return (checked ?? checkYaml(settings.yaml)).manifestPaths.map((m) => m.path);
}

export function bindingFor(settings: DeployYamlSettings, path: string): string | undefined {
  return settings.bindings.find((b) => b.path.trim() === path && b.expectedArtifactId)?.expectedArtifactId;
}

/** Sets (or clears) the artifact bound to `path`, keeping every other binding. */
export function withBinding(bindings: ManifestBinding[], path: string, expectedArtifactId: string | undefined): ManifestBinding[] {
  const index = bindings.findIndex((b) => b.path.trim() === path);
  const next: ManifestBinding = { path, ...(expectedArtifactId ? { expectedArtifactId } : {}) };
  if (index < 0) return [...bindings, next];
  return bindings.map((b, i) => (i === index ? next : b));
}

/** Expected artifacts are declared on the pipeline (trigger artifacts) or by the stages that produce them. */
export function expectedArtifactName(pipeline: IPipeline | undefined, id: string): string | undefined {
  const all: IExpectedArtifact[] = [
    ...((pipeline?.expectedArtifacts as IExpectedArtifact[] | undefined) ?? []),
    ...(pipeline?.stages ?? []).flatMap((s) => (Array.isArray(s.expectedArtifacts) ? (s.expectedArtifacts as IExpectedArtifact[]) : [])),
  ];
  return all.find((a) => a.id === id)?.displayName;
}

function artifactEntry(pipeline: IPipeline | undefined, path: string, expectedArtifactId: string): ArtifactManifest {
  const displayName = expectedArtifactName(pipeline, expectedArtifactId);
  return { path, expectedArtifactId, ...(displayName ? { displayName } : {}), artifact: artifactExpression(expectedArtifactId) };
}

/** The same context as the Deploy stage's, plus the pipeline (expected artifacts' names). */
export interface StageContext extends Pick<FormContext, 'bridgeUrl' | 'application'> {
  pipeline?: IPipeline;
}

/** Everything Orca's Webhook stage needs, derived from the stage's `cdaas` settings. */
export function webhookFieldsFor(stage: DeployYamlStage, context: StageContext): WebhookStageFields {
  const settings = settingsOf(stage);
  const artifacts: ArtifactManifest[] = [];
  let deployment: Record<string, unknown> = {};
  if (settings.source === 'artifact') {
    if (settings.deployYamlArtifactId) artifacts.push(artifactEntry(context.pipeline, DEPLOY_YML_ARTIFACT_PATH, settings.deployYamlArtifactId));
  } else if (!isBlank(settings.yaml)) {
    // Saved as parsed, even with schema errors: the bridge and CDaaS give their own answer, and
    // Deck shows the problems beside the editor. Unparseable text saves an empty deployment.
    deployment = checkYaml(settings.yaml).deployment ?? {};
  }
  for (const path of manifestPathsToBind(settings)) {
    const id = bindingFor(settings, path);
    if (id) artifacts.push(artifactEntry(context.pipeline, path, id));
  }
  return webhookStageFields({
    bridgeUrl: context.bridgeUrl,
    stageRefId: String(stage.refId),
    application: context.application,
    // Evaluated by Orca at run time, so a renamed pipeline is reported under its new name.
    pipelineName: '${execution.name}',
    deployment,
    files: {},
    artifacts,
  });
}
