/**
 * Edits a list of strategy steps: canary steps (set weight, pause until approved, pause for a
 * duration) or blue/green pauses. Add, remove, move up and down; every control is named after its
 * step ("Canary step 2 weight (%)") so users of screen readers and the e2e test can tell them apart.
 */
import React from 'react';

import { DURATION_UNITS, type DurationUnit } from '@cdaas/contract/durations';

import { FieldMessage } from '../common/form/FieldMessage';
import { SpelNumberField } from '../common/form/SpelNumberField';
import type { StepKind, StepValues } from './formValues';

type StepError = { weight?: string; duration?: string; unit?: string } | undefined;

export interface StepsEditorProps {
  /** e.g. "Canary step": names every control of the list. */
  itemLabel: string;
  /** The list's accessible name; defaults to the plural of itemLabel. */
  listLabel?: string;
  steps: StepValues[];
  kinds: StepKind[];
  onChange(steps: StepValues[]): void;
  /** A list-level message (string) or per-step messages, as the validator returns them. */
  errors?: string | StepError[];
  /** The step a new row gets. */
  newStep: StepValues;
}

const KIND_LABELS: Record<StepKind, string> = {
  setWeight: 'Set weight',
  pauseUntilApproved: 'Pause until approved',
  pauseDuration: 'Pause for a duration',
};

function switchKind(step: StepValues, kind: StepKind): StepValues {
  // Values of the other kinds are kept, so switching back restores what was typed.
  if (kind === 'pauseDuration') return { ...step, kind, duration: step.duration ?? '', unit: step.unit ?? 'minutes' };
  if (kind === 'setWeight') return { ...step, kind, weight: step.weight ?? '' };
  return { ...step, kind };
}

/** Memoised: the form renders for every Formik state change, most of which leave a list as it was. */
export const StepsEditor = React.memo(function StepsEditor(props: StepsEditorProps) {
  const { itemLabel, listLabel = `${props.itemLabel}s`, steps, kinds, onChange, errors, newStep } = props;
  const lower = itemLabel.charAt(0).toLowerCase() + itemLabel.slice(1);
  const itemErrors = Array.isArray(errors) ? errors : [];

  const update = (index: number, step: StepValues) => onChange(steps.map((s, i) => (i === index ? step : s)));
  const remove = (index: number) => onChange(steps.filter((_, i) => i !== index));
  const move = (index: number, by: -1 | 1) => {
    const next = steps.slice();
    const [step] = next.splice(index, 1);
    next.splice(index + by, 0, step);
    onChange(next);
  };

  return (
    <div className="cdaas-steps-editor">
      {steps.length > 0 && (
        <ol className="list-unstyled" aria-label={listLabel}>
          {steps.map((step, index) => {
            const name = `${itemLabel} ${index + 1}`;
            const error = itemErrors[index];
            const messages = [error?.weight, error?.duration, error?.unit].filter(Boolean) as string[];
            return (
              <li key={index} className="sp-margin-s-bottom">
                <div className="flex-container-h middle margin-between-md" style={{ flexWrap: 'wrap' }}>
                  <span className="sp-padding-s-right">{index + 1}.</span>
                  <select
                    className="form-control input-sm"
                    style={{ width: 'auto' }}
                    aria-label={`${name} type`}
                    value={step.kind}
                    onChange={(e) => update(index, switchKind(step, e.target.value as StepKind))}
                  >
                    {kinds.map((k) => (
                      <option key={k} value={k}>
                        {KIND_LABELS[k]}
                      </option>
                    ))}
                    {!kinds.includes(step.kind) && <option value={step.kind}>{KIND_LABELS[step.kind]}</option>}
                  </select>
                  {step.kind === 'setWeight' && (
                    <>
                      <SpelNumberField
                        label={`${name} weight (%)`}
                        min={1}
                        max={100}
                        invalid={!!error?.weight}
                        value={step.weight ?? ''}
                        onChange={(weight) => update(index, { ...step, weight })}
                      />
                      <span>%</span>
                    </>
                  )}
                  {step.kind === 'pauseDuration' && (
                    <>
                      <SpelNumberField
                        label={`${name} duration`}
                        min={1}
                        invalid={!!error?.duration}
                        value={step.duration ?? ''}
                        onChange={(duration) => update(index, { ...step, duration })}
                      />
                      <select
                        className="form-control input-sm"
                        style={{ width: 'auto' }}
                        aria-label={`${name} unit`}
                        value={step.unit ?? 'minutes'}
                        onChange={(e) => update(index, { ...step, unit: e.target.value as DurationUnit })}
                      >
                        {DURATION_UNITS.map((u) => (
                          <option key={u} value={u}>
                            {u}
                          </option>
                        ))}
                      </select>
                    </>
                  )}
                  <span className="btn-group btn-group-xs">
                    <button
                      type="button"
                      className="btn btn-default"
                      aria-label={`Move ${lower} ${index + 1} up`}
                      title="Move up"
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      <span className="glyphicon glyphicon-arrow-up" aria-hidden="true" />
                    </button>
                    <button
                      type="button"
                      className="btn btn-default"
                      aria-label={`Move ${lower} ${index + 1} down`}
                      title="Move down"
                      disabled={index === steps.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      <span className="glyphicon glyphicon-arrow-down" aria-hidden="true" />
                    </button>
                    <button
                      type="button"
                      className="btn btn-default"
                      aria-label={`Remove ${lower} ${index + 1}`}
                      title="Remove"
                      onClick={() => remove(index)}
                    >
                      <span className="glyphicon glyphicon-trash" aria-hidden="true" />
                    </button>
                  </span>
                </div>
                {messages.map((m) => (
                  <FieldMessage key={m} message={m} />
                ))}
              </li>
            );
          })}
        </ol>
      )}
      {typeof errors === 'string' && (
        <div>
          <FieldMessage message={errors} />
        </div>
      )}
      <button type="button" className="btn btn-sm btn-default" onClick={() => onChange([...steps, { ...newStep }])}>
        <span className="glyphicon glyphicon-plus-sign" aria-hidden="true" /> Add {lower}
      </button>
    </div>
  );
});
