/** The fields of the "CD-as-a-Service Deploy" stage, inside FormikStageConfig. */
import type { IFormikStageConfigInjectedProps } from '@spinnaker/core';
import { TextInput } from '@spinnaker/core';
import React from 'react';

import { DURATION_UNITS, durationSeconds } from '@cdaas/contract/durations';
import { isSpel } from '@cdaas/contract/spel';

import { AccountInput } from '../common/account/AccountInput';
import { isChosen, ManifestArtifactField } from '../common/artifacts';
import { CdaasFormField } from '../common/form/CdaasFormField';
import { FieldMessage } from '../common/form/FieldMessage';
import { BridgeUrlNote } from '../common/form/BridgeUrlNote';
import { FormRow as Row, RadioGroup } from '../common/form/FormRow';
import { SpelNumberField } from '../common/form/SpelNumberField';
import { ProblemList } from '../common/form/ProblemList';
import { ProgressiveYamlEditor } from '../common/form/ProgressiveYamlEditor';
import type { YamlTextEditorHandle } from '../common/form/YamlTextEditor';
import type { StageContext } from '../common/stageContext';
import type { CdaasDeployFormValues, StepKind, StepValues } from './formValues';
import { readFormValues } from './formValues';
import { BlueGreenServices } from './BlueGreenServices';
import { manifestNamespace, manifestServices } from './services';
import { StepsEditor } from './StepsEditor';
import { checkManifestTextOnce, type CdaasDeployErrors } from './validate';

export interface CdaasDeployStageFormProps extends IFormikStageConfigInjectedProps {
  context: StageContext;
}

/** Orca's MonitorWebhookTask gives up after 1 hour unless the stage sets `stageTimeoutMs`. */
const ORCA_MONITOR_TIMEOUT_S = 3600;

function mayOutliveOrcaTimeout(values: CdaasDeployFormValues): boolean {
  const steps =
    values.strategy === 'blueGreen'
      ? [...values.blueGreen.redirectTrafficAfter, ...values.blueGreen.shutDownOldVersionAfter]
      : values.canarySteps;
  if (steps.some((s) => s.kind === 'pauseUntilApproved')) return true;
  const pauses = steps
    .filter((s) => s.kind === 'pauseDuration')
    .reduce((sum, s) => sum + durationSeconds(Number(s.duration) || 0, s.unit ?? 'minutes'), 0);
  return pauses >= ORCA_MONITOR_TIMEOUT_S;
}

const MANIFEST_SOURCES: Array<{ value: CdaasDeployFormValues['manifestSource']; label: string }> = [
  { value: 'text', label: 'Text' },
  { value: 'artifact', label: 'Artifacts' },
];
const STRATEGIES: Array<{ value: CdaasDeployFormValues['strategy']; label: string }> = [
  { value: 'canary', label: 'Canary' },
  { value: 'blueGreen', label: 'Blue/green' },
];
const CANARY_KINDS: StepKind[] = ['setWeight', 'pauseUntilApproved', 'pauseDuration'];
const PAUSE_KINDS: StepKind[] = ['pauseUntilApproved', 'pauseDuration'];
const NEW_CANARY_STEP: StepValues = { kind: 'setWeight', weight: '' };
const NEW_REDIRECT_PAUSE: StepValues = { kind: 'pauseUntilApproved' };
const NEW_SHUTDOWN_PAUSE: StepValues = { kind: 'pauseDuration', duration: '', unit: 'minutes' };

export function CdaasDeployStageForm(props: CdaasDeployStageFormProps) {
  const { formik, pipeline, context } = props;
  const stage = formik.values;
  // Formik renders the whole form for every change of its state, its validation results too (Deck's
  // SpinFormik validates twice on mount, before the first frame). Values read once per change of
  // `cdaas` and stable setters let the memoised parts (radio groups, step lists) skip those renders.
  const values = React.useMemo(() => readFormValues(stage.cdaas, context.application), [stage.cdaas, context.application]);
  const errors: CdaasDeployErrors = (formik.errors as { cdaas?: CdaasDeployErrors }).cdaas ?? {};
  const { setFieldValue } = formik;
  const set = React.useCallback((path: string, value: unknown) => setFieldValue(`cdaas.${path}`, value), [setFieldValue]);
  const on = React.useMemo(
    () => ({
      manifestSource: (v: string) => set('manifestSource', v),
      strategy: (v: string) => set('strategy', v),
      canarySteps: (steps: StepValues[]) => set('canarySteps', steps),
      redirectPauses: (steps: StepValues[]) => set('blueGreen.redirectTrafficAfter', steps),
      shutdownPauses: (steps: StepValues[]) => set('blueGreen.shutDownOldVersionAfter', steps),
    }),
    [set],
  );

  const textSource = values.manifestSource === 'text';
  const manifestEditor = React.useRef<YamlTextEditorHandle>(null);
  // The cluster's Services are read in the namespace the stage deploys to, when it is known here.
  const override = values.namespace.trim();
  const targetNamespace = override && !isSpel(override) ? override : !override && textSource ? manifestNamespace(values.manifestText) : undefined;
  const manifestProblems = React.useMemo(
    () => (textSource && values.manifestText.trim() ? checkManifestTextOnce(values.manifestText) : []),
    [textSource, values.manifestText],
  );

  return (
    <div className="form-horizontal cdaas-deploy-stage">
      <BridgeUrlNote context={context} />
      <h4 className="sp-margin-m-bottom">Target</h4>
      <CdaasFormField
        name="cdaas.account"
        fast
        label="Account"
        help="cdaas.deploy.account"
        required
        input={(p) => <AccountInput {...p} />}
      />
      <CdaasFormField
        name="cdaas.namespace"
        fast
        label="Namespace override"
        help="cdaas.deploy.namespace"
        input={(p) => <TextInput {...p} placeholder="namespace from the manifests" />}
      />
      <CdaasFormField
        name="cdaas.application"
        fast
        label="Application"
        help="cdaas.deploy.application"
        input={(p) => <TextInput {...p} placeholder={context.application} />}
      />

      <h4 className="sp-margin-m-bottom">Manifests</h4>
      <RadioGroup
        label="Manifest source"
        help="cdaas.deploy.manifestSource"
        value={values.manifestSource}
        options={MANIFEST_SOURCES}
        onChange={on.manifestSource}
      />
      {values.manifestSource === 'text' ? (
        <>
          <CdaasFormField
            name="cdaas.manifestText"
            fast
            label="Manifest YAML"
            help="cdaas.deploy.manifestText"
            required
            input={(p) => (
              // A textarea until the first paint, then Deck's editor: the form opens without waiting for Ace.
              <ProgressiveYamlEditor
                ref={manifestEditor}
                id={p.id}
                label="Manifest YAML"
                value={values.manifestText}
                onChange={(text) => {
                  set('manifestText', text);
                  // Ace has no blur Formik sees: the message shows once the text was edited, like a touched field.
                  formik.setFieldTouched('cdaas.manifestText', true, false);
                }}
                problems={manifestProblems}
              />
            )}
          />
          <Row label="">
            <ProblemList
              label="Manifest YAML problems"
              problems={manifestProblems}
              goTo={(line, column) => manifestEditor.current?.goTo(line, column)}
            />
          </Row>
        </>
      ) : (
        <>
          {values.manifestArtifacts.map((a, index) => {
            const itemError = Array.isArray(errors.manifestArtifacts) ? errors.manifestArtifacts[index] : undefined;
            return (
              <div key={index}>
                <ManifestArtifactField
                  label={`Manifest artifact ${index + 1}`}
                  help="cdaas.deploy.manifestArtifact"
                  stage={stage}
                  pipeline={pipeline}
                  value={a}
                  onChange={(next) => {
                    const { displayName: _stale, ...choice } = next as typeof a;
                    const displayName = choice.expectedArtifactId
                      ? (pipeline.expectedArtifacts ?? []).find((e) => e.id === choice.expectedArtifactId)?.displayName
                      : undefined;
                    set(`manifestArtifacts.${index}`, { ...choice, ...(displayName ? { displayName } : {}) });
                  }}
                />
                <Row label="">
                  {/* The picker and the inline editor say their own problems; this is for a row with none chosen. */}
                  {!isChosen(a) && itemError?.expectedArtifactId && (
                    <FieldMessage message={itemError.expectedArtifactId} />
                  )}
                  {values.manifestArtifacts.length > 1 && (
                    <button
                      type="button"
                      className="btn btn-link btn-sm"
                      onClick={() => set('manifestArtifacts', values.manifestArtifacts.filter((_, i) => i !== index))}
                    >
                      Remove manifest artifact {index + 1}
                    </button>
                  )}
                </Row>
              </div>
            );
          })}
          <Row label="">
            {typeof errors.manifestArtifacts === 'string' && <FieldMessage message={errors.manifestArtifacts} />}
            <button type="button" className="btn btn-sm btn-default" onClick={() => set('manifestArtifacts', [...values.manifestArtifacts, {}])}>
              <span className="glyphicon glyphicon-plus-sign" aria-hidden="true" /> Add manifest artifact
            </button>
          </Row>
        </>
      )}

      <h4 className="sp-margin-m-bottom">Strategy</h4>
      <RadioGroup
        label="Strategy"
        help="cdaas.deploy.strategy"
        value={values.strategy}
        options={STRATEGIES}
        onChange={on.strategy}
      />
      {values.strategy === 'canary' ? (
        <Row label="Canary steps" help="cdaas.deploy.canarySteps">
          <StepsEditor
            itemLabel="Canary step"
            steps={values.canarySteps}
            kinds={CANARY_KINDS}
            newStep={NEW_CANARY_STEP}
            errors={errors.canarySteps}
            onChange={on.canarySteps}
          />
        </Row>
      ) : (
        <>
          <BlueGreenServices
            account={values.account}
            namespace={targetNamespace}
            manifestServices={textSource ? manifestServices(values.manifestText) : undefined}
          />
          <Row label="Redirect traffic after" help="cdaas.deploy.redirectTrafficAfter">
            <StepsEditor
              itemLabel="Pause before redirecting"
              listLabel="Redirect traffic after"
              steps={values.blueGreen.redirectTrafficAfter}
              kinds={PAUSE_KINDS}
              newStep={NEW_REDIRECT_PAUSE}
              errors={errors.blueGreen?.redirectTrafficAfter}
              onChange={on.redirectPauses}
            />
          </Row>
          <Row label="Shut down old version after" help="cdaas.deploy.shutDownOldVersionAfter">
            <StepsEditor
              itemLabel="Pause before shutdown"
              listLabel="Shut down old version after"
              steps={values.blueGreen.shutDownOldVersionAfter}
              kinds={PAUSE_KINDS}
              newStep={NEW_SHUTDOWN_PAUSE}
              errors={errors.blueGreen?.shutDownOldVersionAfter}
              onChange={on.shutdownPauses}
            />
          </Row>
        </>
      )}

      <h4 className="sp-margin-m-bottom">Deployment</h4>
      <CdaasFormField
        name="cdaas.timeout.duration"
        label="Deployment timeout"
        help="cdaas.deploy.timeout"
        required
        input={(p) => (
          <span className="flex-container-h margin-between-md">
            <SpelNumberField
              id={p.id}
              name={p.name}
              label="Deployment timeout"
              min={1}
              invalid={!!errors.timeout?.duration}
              value={values.timeout.duration}
              onChange={(duration) => set('timeout.duration', duration)}
              onBlur={p.onBlur}
            />
            <select
              className="form-control input-sm"
              style={{ width: 'auto' }}
              aria-label="Deployment timeout unit"
              value={values.timeout.unit}
              onChange={(e) => set('timeout.unit', e.target.value)}
            >
              {DURATION_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </span>
        )}
      />
      {mayOutliveOrcaTimeout(values) && stage.stageTimeoutMs === undefined && (
        <Row label="">
          <div className="alert alert-info" role="note">
            This strategy can wait longer than an hour (approvals or long pauses). Spinnaker stops watching a webhook
            after 1 hour and then cancels the deployment: set "Fail stage after a specific amount of time" below to
            allow more.
          </div>
        </Row>
      )}
    </div>
  );
}
