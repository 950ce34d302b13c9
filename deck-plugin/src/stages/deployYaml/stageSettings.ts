/**
 * What the YAML stage saves under `stage.cdaas`, read without the deploy.yml library: index.js
 * (the stage registration, artifact bookkeeping) needs it at start-up, the parser comes later.
 */
import type { IStage } from '@spinnaker/core';

import { type ArtifactChoice, type InlineArtifactValues, readChoice } from '../common/artifacts/artifactChoice';

export type DeployYamlSource = 'text' | 'artifact';

/** One `manifests[].path` and the artifact (expected or inline) that provides its text at run time. */
export interface ManifestBinding extends ArtifactChoice {
  path: string;
}

/** What the form edits, saved verbatim under `stage.cdaas` so nothing typed is ever lost. */
export interface DeployYamlSettings {
  source: DeployYamlSource;
  /** The deploy.yml text exactly as typed, even when it does not parse. */
  yaml: string;
  /** source = artifact: the expected artifact holding deploy.yml. */
  deployYamlArtifactId?: string;
  /** source = artifact: `inline` when deploy.yml is an artifact defined in the stage (absent: expected). */
  deployYamlArtifactSource?: 'inline';
  /** That inline artifact; kept while the expected one is chosen, saved only when inline. */
  deployYamlInlineArtifact?: InlineArtifactValues;
  /**
   * Manifest path bindings. With source = text they are looked up by the paths deploy.yml lists
   * (a binding survives a path being edited away and back); with source = artifact they are the
   * rows the user lists, since Deck cannot read the file.
   */
  bindings: ManifestBinding[];
}

export interface DeployYamlStage extends IStage {
  cdaas?: Partial<DeployYamlSettings>;
}

/**
 * Whether a text holds nothing but white space. Not `text.trim()`: Deck's Ace replaces
 * String.prototype.trim with a regex polyfill that takes milliseconds per call on a 5,000-line text.
 */
export const isBlank = (text: string): boolean => !/\S/.test(text);

export function settingsOf(stage: DeployYamlStage): DeployYamlSettings {
  const c = stage.cdaas ?? {};
  return {
    source: c.source === 'artifact' ? 'artifact' : 'text',
    yaml: typeof c.yaml === 'string' ? c.yaml : '',
    ...deployYamlChoiceFields(
      readChoice({ source: c.deployYamlArtifactSource, expectedArtifactId: c.deployYamlArtifactId, inline: c.deployYamlInlineArtifact }),
    ),
    bindings: Array.isArray(c.bindings) ? c.bindings.filter((b): b is ManifestBinding => !!b && typeof b.path === 'string') : [],
  };
}

/** The deploy.yml artifact as one choice (the picker edits it whole). */
export function deployYamlChoice(settings: DeployYamlSettings): ArtifactChoice {
  return {
    ...(settings.deployYamlArtifactSource ? { source: settings.deployYamlArtifactSource } : {}),
    ...(settings.deployYamlArtifactId ? { expectedArtifactId: settings.deployYamlArtifactId } : {}),
    ...(settings.deployYamlInlineArtifact ? { inline: settings.deployYamlInlineArtifact } : {}),
  };
}

/** The settings fields holding a deploy.yml artifact choice (flat, as stages saved before inline artifacts). */
export function deployYamlChoiceFields(choice: ArtifactChoice): Pick<DeployYamlSettings, 'deployYamlArtifactId' | 'deployYamlArtifactSource' | 'deployYamlInlineArtifact'> {
  return {
    ...(choice.source === 'inline' ? { deployYamlArtifactSource: 'inline' as const } : {}),
    ...(choice.expectedArtifactId ? { deployYamlArtifactId: choice.expectedArtifactId } : {}),
    ...(choice.inline ? { deployYamlInlineArtifact: choice.inline } : {}),
  };
}
