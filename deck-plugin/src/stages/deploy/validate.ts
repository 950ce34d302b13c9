/**
 * The stage's validators: one function for the form (FormikStageConfig `validate`) and for Deck's
 * pipeline check (`validateFn`). Returns a Formik errors object shaped like `stage.cdaas`; every
 * message names its field, because Deck also lists them flattened, away from the form.
 * Fields that may come from the pipeline accept `${...}` and are left to run time.
 */
import type { IPipeline, IStage, ITrigger } from '@spinnaker/core';
import { Validators } from '@spinnaker/core';
// Types only (erased from the bundle): formik itself reaches the plugin through @spinnaker/core.
import type { FormikErrors } from 'formik';

import { checkManifestText } from '@cdaas/contract/deployYaml';
import { formatProblem } from '@cdaas/contract/deployYaml';
import { memoizeRecent } from '../common/memoizeRecent';
import { availableExpectedArtifacts, inlineArtifactSummary, isInlineChoice, manifestArtifactProblem } from '../common/artifacts';
import { isSpel } from '@cdaas/contract/spel';
import { DURATION_UNITS_TEXT, isDurationUnit } from '@cdaas/contract/durations';
import type { CdaasDeployFormValues, StepValues } from './formValues';
import { readFormValues } from './formValues';

type StepErrors = Array<{ weight?: string; duration?: string; unit?: string } | undefined>;

// A type alias, not an interface: aliases get the implicit index signature FormikErrors needs.
export type CdaasDeployErrors = {
  account?: string;
  namespace?: string;
  application?: string;
  manifestText?: string;
  manifestArtifacts?: string | Array<{ expectedArtifactId?: string; inline?: string } | undefined>;
  canarySteps?: string | StepErrors;
  blueGreen?: {
    activeService?: string;
    previewService?: string;
    redirectTrafficAfter?: StepErrors;
    shutDownOldVersionAfter?: StepErrors;
  };
  timeout?: { duration?: string };
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function kubernetesName(raw: string, field: string, required: boolean): string | undefined {
  const value = raw.trim();
  if (!value) return required ? `${field} is required.` : undefined;
  if (isSpel(value)) return undefined;
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    return `${field} "${value}" is not a valid Kubernetes name (lowercase letters, digits and "-", at most 63 characters).`;
  }
  return undefined;
}

/** CDaaS sends the new version's traffic to the preview Service: it cannot also be the active one. */
function sameService(active: string, preview: string): string | undefined {
  const a = active.trim();
  if (!a || a !== preview.trim()) return undefined;
  return `Preview service "${a}" is also the active service: choose another Service for the preview, or leave it empty.`;
}

/**
 * A number-or-expression field, in the words of Deck's own number fields (core's `Validators`:
 * "… is required.", "… must be a number", "… cannot be less than 1", "… cannot be greater than
 * 100"), plus "… must be a whole number", which CD-as-a-Service needs and core does not word.
 */
export function numberProblem(raw: string | undefined, label: string, bounds: { min: number; max?: number }): string | undefined {
  const text = (raw ?? '').trim();
  const missing = Validators.isRequired()(text, label);
  if (missing) return missing;
  if (isSpel(text)) return undefined;
  // minValue words a value that is not a number itself ("must be a number").
  const value: number | string = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  const outOfRange = Validators.minValue(bounds.min)(value, label) || (bounds.max !== undefined && Validators.maxValue(bounds.max)(value, label));
  if (outOfRange) return outOfRange;
  return Number.isInteger(value) ? undefined : `${label} must be a whole number`;
}

function stepErrors(steps: StepValues[], itemLabel: string, weights: boolean): StepErrors | undefined {
  let previousWeight: number | undefined;
  const errors: StepErrors = steps.map((step, index) => {
    const label = `${itemLabel} ${index + 1}`;
    if (step.kind === 'pauseDuration') {
      const duration = numberProblem(step.duration, `${label} duration`, { min: 1 });
      const unit = isDurationUnit(step.unit) ? undefined : `${label}: choose ${DURATION_UNITS_TEXT}.`;
      return duration || unit ? { ...(duration ? { duration } : {}), ...(unit ? { unit } : {}) } : undefined;
    }
    if (step.kind !== 'setWeight') return undefined;
    if (!weights) return { weight: `${label}: only pauses are allowed here.` };
    const field = `${label} weight (%)`;
    const problem = numberProblem(step.weight, field, { min: 1, max: 100 });
    if (problem) return { weight: problem };
    const text = (step.weight ?? '').trim();
    if (isSpel(text)) return undefined;
    const weight = Number(text);
    if (previousWeight !== undefined && weight <= previousWeight) {
      const rising = `${field} must be higher than the previous weight (${previousWeight}%)`;
      previousWeight = weight;
      return { weight: rising };
    }
    previousWeight = weight;
    return undefined;
  });
  return errors.some(Boolean) ? errors : undefined;
}

/** Manifest text problems with their positions, e.g. `line 3, column 5: ...`. */
export function manifestTextErrors(text: string): string | undefined {
  if (!text.trim()) return 'Manifest YAML is required: paste one or more Kubernetes manifests.';
  const problems = checkManifestTextOnce(text).filter((p) => p.severity === 'error');
  if (problems.length === 0) return undefined;
  return 'Manifest YAML: ' + problems.map(formatProblem).join('; ');
}

/** Validation and the form's warnings read the same text on every keystroke: check it once. */
export const checkManifestTextOnce = memoizeRecent(checkManifestText);

function compact<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

export function validateDeployValues(
  values: CdaasDeployFormValues,
  stage: IStage,
  pipeline: IPipeline | undefined,
): CdaasDeployErrors | undefined {
  const errors: CdaasDeployErrors = {};
  if (!values.account.trim()) errors.account = 'Account is required: choose the agent of the target cluster.';
  errors.namespace = kubernetesName(values.namespace, 'Namespace', false);

  if (values.manifestSource === 'artifact') {
    if (values.manifestArtifacts.length === 0) {
      errors.manifestArtifacts = 'Add at least one manifest artifact.';
    } else {
      const available = pipeline ? availableExpectedArtifacts(stage, pipeline) : undefined;
      const items = values.manifestArtifacts.map((a, index) => {
        if (isInlineChoice(a)) {
          const inline = inlineArtifactSummary(a.inline);
          return inline ? { inline: `Manifest artifact ${index + 1}: ${inline}` } : undefined;
        }
        // Without the pipeline (never in Deck) only the selection itself can be checked.
        const problem = available
          ? manifestArtifactProblem(a.expectedArtifactId, available)
          : a.expectedArtifactId
          ? undefined
          : 'Select the expected artifact that holds the manifest.';
        return problem ? { expectedArtifactId: `Manifest artifact ${index + 1}: ${problem}` } : undefined;
      });
      if (items.some(Boolean)) errors.manifestArtifacts = items;
    }
  } else {
    errors.manifestText = manifestTextErrors(values.manifestText);
  }

  if (values.strategy === 'blueGreen') {
    errors.blueGreen = compact({
      activeService: kubernetesName(values.blueGreen.activeService, 'Active service', true),
      previewService:
        kubernetesName(values.blueGreen.previewService, 'Preview service', false) ??
        sameService(values.blueGreen.activeService, values.blueGreen.previewService),
      redirectTrafficAfter: stepErrors(values.blueGreen.redirectTrafficAfter, 'Pause before redirecting', false),
      shutDownOldVersionAfter: stepErrors(values.blueGreen.shutDownOldVersionAfter, 'Pause before shutdown', false),
    });
  } else if (values.canarySteps.length === 0) {
    errors.canarySteps = 'Add at least one canary step.';
  } else {
    errors.canarySteps = stepErrors(values.canarySteps, 'Canary step', true);
  }

  errors.timeout = compact({ duration: numberProblem(values.timeout.duration, 'Deployment timeout', { min: 1 }) });
  return compact(errors);
}

/** Deck's `validateFn` and FormikStageConfig's `validate`: `{}` when the stage is valid. */
export function validateCdaasDeployStage(
  values: IStage | ITrigger,
  context?: { pipeline?: IPipeline },
): FormikErrors<IStage> {
  const stage = values as IStage;
  const formValues = readFormValues(stage.cdaas, '');
  const errors = validateDeployValues(formValues, stage, context?.pipeline);
  // formik 1.5's FormikErrors<any> types nested arrays loosely; the shape mirrors stage.cdaas.
  return errors ? ({ cdaas: errors } as unknown as FormikErrors<IStage>) : {};
}

/**
 * `validateCdaasDeployStage` for one open form. Deck's SpinFormik validates the same values twice
 * on mount (setTouched, then validateForm), before the first frame: the same values object asked
 * again within one task gets the first answer. Formik's values are never changed in place, but
 * Deck changes its live stage object in place (Depends On, updateStage), so an answer lives only
 * until the task ends.
 */
export function validateOncePerTask(): typeof validateCdaasDeployStage {
  let last: { values: object; pipeline?: IPipeline; errors: FormikErrors<IStage> } | undefined;
  return (values, context) => {
    if (last && last.values === values && last.pipeline === context?.pipeline) return last.errors;
    const errors = validateCdaasDeployStage(values, context);
    const answer = { values, pipeline: context?.pipeline, errors };
    last = answer;
    setTimeout(() => {
      if (last === answer) last = undefined;
    }, 0);
    return errors;
  };
}
