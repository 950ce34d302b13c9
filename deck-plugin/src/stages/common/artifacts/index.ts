// STUB (owner: Deploy stage helper): replaced by the real expected-artifact picker.
import type { IArtifact, IPipeline, IStage } from '@spinnaker/core';
import type React from 'react';

export interface ManifestArtifactFieldProps {
  /** Shown as the field label. */
  label: string;
  stage: IStage;
  pipeline: IPipeline;
  expectedArtifactId?: string;
  /** Called with the chosen expected artifact id (undefined when cleared), and the artifact it matches. */
  onChange(expectedArtifactId: string | undefined, matchArtifact?: IArtifact): void;
  /** Help key registered through plugin.help. */
  help?: string;
}

/** Picks (or defines) an expected artifact and flags artifact types the bridge cannot read. */
export const ManifestArtifactField: React.ComponentType<ManifestArtifactFieldProps> = () => null;
