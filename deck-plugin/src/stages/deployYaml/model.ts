/**
 * The YAML stage's data, without React: what the stage JSON holds under `cdaas`, and the Webhook
 * stage fields derived from it (what Orca actually runs). Deck keeps the stage JSON; Orca only
 * reads the webhook fields; the bridge gets `payload`.
 */
import type { IExpectedArtifact, IPipeline } from '@spinnaker/core';

import {
  DEPLOY_YML_ARTIFACT_PATH,
  webhookStageFields,
  type ArtifactManifest,
  type WebhookStageFields,
} from '@cdaas/contract/deploy';
import type { DeployYamlResult } from '@cdaas/contract/deployYaml';
import { knownResult, validateNow } from './background/validateInBackground';
import { type ArtifactChoice, artifactEntryFor, isChosen, savedChoice } from '../common/artifacts';
import type { StageContext as FormContext } from '../common/stageContext';

export {
  deployYamlChoice,
  deployYamlChoiceFields,
  settingsOf,
  type DeployYamlSettings,
  type DeployYamlSource,
  type DeployYamlStage,
  type ManifestBinding,
} from './stageSettings';
import { deployYamlChoice, deployYamlChoiceFields, isBlank, settingsOf, type DeployYamlSettings, type DeployYamlStage, type ManifestBinding } from './stageSettings';

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

/**
 * How long typing in a large deploy.yml must pause before the text reaches Formik (and with it
 * Deck): Formik re-renders the whole form and validates the stage for every value, and Deck
 * copies and compares the whole pipeline, far more than a keystroke may cost.
 */
export const TYPING_PAUSE_MS = 400;

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

/** The binding of `path` as the form edits it (chosen or not: an unchosen one may hold a draft). */
export function bindingAt(settings: DeployYamlSettings, path: string): ManifestBinding | undefined {
  return settings.bindings.find((b) => b.path.trim() === path);
}

/** The binding that provides `path`'s text: an expected artifact picked, or an inline one defined. */
export function bindingFor(settings: DeployYamlSettings, path: string): ManifestBinding | undefined {
  return settings.bindings.find((b) => b.path.trim() === path && isChosen(b));
}

/** Sets (or clears) the artifact bound to `path`, keeping every other binding. */
export function withBinding(bindings: ManifestBinding[], path: string, choice: ArtifactChoice): ManifestBinding[] {
  const index = bindings.findIndex((b) => b.path.trim() === path);
  const next: ManifestBinding = { ...choice, path };
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

function artifactEntry(pipeline: IPipeline | undefined, path: string, choice: ArtifactChoice): ArtifactManifest | undefined {
  const displayName = choice.expectedArtifactId ? expectedArtifactName(pipeline, choice.expectedArtifactId) : undefined;
  return artifactEntryFor(path, choice, displayName);
}

/** What the stage saves: each artifact choice without the option not chosen (the form keeps both). */
export function savedSettings(settings: DeployYamlSettings): DeployYamlSettings {
  const { deployYamlArtifactId: _id, deployYamlArtifactSource: _source, deployYamlInlineArtifact: _inline, ...rest } = settings;
  return {
    ...rest,
    ...deployYamlChoiceFields(savedChoice(deployYamlChoice(settings))),
    bindings: settings.bindings.map((b) => ({ path: b.path, ...savedChoice(b) })),
  };
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
    const entry = artifactEntry(context.pipeline, DEPLOY_YML_ARTIFACT_PATH, deployYamlChoice(settings));
    if (entry) artifacts.push(entry);
  } else if (!isBlank(settings.yaml)) {
    // Saved as parsed, even with schema errors: the bridge and CDaaS give their own answer, and
    // Deck shows the problems beside the editor. Unparseable text saves an empty deployment.
    deployment = checkYaml(settings.yaml).deployment ?? {};
  }
  for (const path of manifestPathsToBind(settings)) {
    const binding = bindingFor(settings, path);
    const entry = binding && artifactEntry(context.pipeline, path, binding);
    if (entry) artifacts.push(entry);
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
