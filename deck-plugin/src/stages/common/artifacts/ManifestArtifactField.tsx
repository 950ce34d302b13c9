/**
 * Picks where a manifest (or deploy.yml) comes from, like Deck's StageArtifactSelector in Deploy
 * (Manifest): one of the expected artifacts available to the stage, or "Define a new artifact..."
 * with the artifact edited in place. Says at once when CD-as-a-Service cannot read a type
 * (instead of a failure at run time).
 *
 * A native <select> rather than Deck's StageArtifactSelector: that one renders a react-select
 * without an accessible name. The inline editor is our own (InlineArtifactEditor says why).
 */
import type { IExpectedArtifact, IPipeline, IStage } from '@spinnaker/core';
import { ExpectedArtifactService, HelpField } from '@spinnaker/core';
import React from 'react';

import { SUPPORTED_ARTIFACT_TYPES } from '@cdaas/contract/artifactTypes';
import { useFieldId } from '../form/useFieldId';
import { type ArtifactChoice, isInlineChoice } from './artifactChoice';
import { newInlineArtifact } from './artifactRules';
import { InlineArtifactEditor } from './InlineArtifactEditor';

export interface ManifestArtifactFieldProps {
  /** Shown as the field label; the inline editor's fields are named after it. */
  label: string;
  stage: IStage;
  pipeline: IPipeline;
  value: ArtifactChoice | undefined;
  /** Called with the whole choice: what is not chosen is kept in it, so switching back loses nothing. */
  onChange(next: ArtifactChoice): void;
  /** Help key registered through plugin.help. */
  help?: string;
}

/** The select's value for "Define a new artifact..." (no expected artifact id looks like it). */
const DEFINE_NEW = '__cdaas.inline.artifact__';

/** The artifact type an expected artifact will bind to, when Deck knows it. */
export function expectedArtifactType(artifact: IExpectedArtifact): string | undefined {
  return artifact.matchArtifact?.type || artifact.defaultArtifact?.type || undefined;
}

export function isSupportedArtifactType(type: string | undefined): boolean {
  return !!type && (SUPPORTED_ARTIFACT_TYPES as readonly string[]).includes(type);
}

/**
 * What is wrong with using this expected artifact as a manifest, or undefined. Shared by the field
 * and the stage validators, so the form and Deck's pipeline check say the same thing.
 */
export function manifestArtifactProblem(
  expectedArtifactId: string | undefined,
  available: IExpectedArtifact[],
): string | undefined {
  if (!expectedArtifactId) return 'Select the expected artifact that holds the manifest.';
  const artifact = available.find((a) => a.id === expectedArtifactId);
  if (!artifact) {
    return `The expected artifact ${expectedArtifactId} is not available to this stage (deleted, or not produced upstream); select another.`;
  }
  const type = expectedArtifactType(artifact);
  if (!isSupportedArtifactType(type)) {
    return (
      `CD-as-a-Service cannot read ${type ? `${type} artifacts` : 'artifacts of an unspecified type'} ` +
      `("${artifact.displayName || artifact.id}"); use one of ${SUPPORTED_ARTIFACT_TYPES.join(', ')}, or paste the manifest as text.`
    );
  }
  return undefined;
}

export function availableExpectedArtifacts(stage: IStage, pipeline: IPipeline): IExpectedArtifact[] {
  return ExpectedArtifactService.getExpectedArtifactsAvailableToStage(stage, pipeline) ?? [];
}

function optionLabel(a: IExpectedArtifact): string {
  const type = expectedArtifactType(a);
  const name = a.displayName || a.id;
  if (!isSupportedArtifactType(type)) return `${name} (${type ?? 'any type'}): not readable by CD-as-a-Service`;
  return `${name} (${type})`;
}

export function ManifestArtifactField(props: ManifestArtifactFieldProps) {
  const { label, stage, pipeline, value, onChange, help } = props;
  const id = useFieldId('manifest-artifact');
  const labelId = `${id}-label`;
  const available = availableExpectedArtifacts(stage, pipeline);
  const inline = isInlineChoice(value);
  const expectedArtifactId = inline ? undefined : value?.expectedArtifactId;
  const known = available.some((a) => a.id === expectedArtifactId);
  const problem = expectedArtifactId ? manifestArtifactProblem(expectedArtifactId, available) : undefined;

  const select = (next: string) => {
    if (next === DEFINE_NEW) onChange({ ...value, source: 'inline', inline: value?.inline ?? newInlineArtifact() });
    else {
      const { expectedArtifactId: _previous, ...rest } = value ?? {};
      onChange({ ...rest, source: 'expected', ...(next ? { expectedArtifactId: next } : {}) });
    }
  };

  return (
    <>
      <div className="sp-formItem">
        <div className="sp-formItem__left">
          <div className="sp-formLabel">
            <label id={labelId} htmlFor={id} style={{ fontWeight: 'inherit', margin: 0 }}>
              {label}
            </label>{' '}
            {help && <HelpField id={help} />}
          </div>
        </div>
        <div className="sp-formItem__right">
          <select
            id={id}
            className="form-control input-sm"
            value={inline ? DEFINE_NEW : expectedArtifactId ?? ''}
            onChange={(e) => select(e.target.value)}
            aria-invalid={!!problem}
            aria-describedby={`${id}-message`}
          >
            <option value="">Select an artifact…</option>
            {available.map((a) => (
              <option key={a.id} value={a.id} disabled={!isSupportedArtifactType(expectedArtifactType(a)) && a.id !== expectedArtifactId}>
                {optionLabel(a)}
              </option>
            ))}
            {expectedArtifactId && !known && <option value={expectedArtifactId}>{expectedArtifactId} (not available)</option>}
            <option value={DEFINE_NEW}>Define a new artifact...</option>
          </select>
          <div id={`${id}-message`}>
            {problem && (
              <div className="error-message" role="alert">
                {problem}
              </div>
            )}
            {!inline && available.length === 0 && (
              <div className="help-block">
                No expected artifacts are available to this stage: define a new artifact here, declare one in the pipeline's
                trigger (Artifact constraints), or produce one in an upstream stage, such as Bake (Manifest).
              </div>
            )}
          </div>
        </div>
      </div>
      {inline && (
        <InlineArtifactEditor
          label={label}
          labelId={labelId}
          value={value?.inline ?? newInlineArtifact()}
          onChange={(next) => onChange({ ...value, source: 'inline', inline: next })}
        />
      )}
    </>
  );
}
