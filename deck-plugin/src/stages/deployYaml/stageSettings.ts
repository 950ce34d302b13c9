/**
 * What the YAML stage saves under `stage.cdaas`, read without the deploy.yml library: index.js
 * (the stage registration, artifact bookkeeping) needs it at start-up, the parser comes later.
 */
import type { IStage } from '@spinnaker/core';

export type DeployYamlSource = 'text' | 'artifact';

/** One `manifests[].path` and the expected artifact that provides its text at run time. */
export interface ManifestBinding {
  path: string;
  expectedArtifactId?: string;
}

/** What the form edits, saved verbatim under `stage.cdaas` so nothing typed is ever lost. */
export interface DeployYamlSettings {
  source: DeployYamlSource;
  /** The deploy.yml text exactly as typed, even when it does not parse. */
  yaml: string;
  /** source = artifact: the expected artifact holding deploy.yml. */
  deployYamlArtifactId?: string;
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
    ...(c.deployYamlArtifactId ? { deployYamlArtifactId: c.deployYamlArtifactId } : {}),
    bindings: Array.isArray(c.bindings) ? c.bindings.filter((b): b is ManifestBinding => !!b && typeof b.path === 'string') : [],
  };
}
