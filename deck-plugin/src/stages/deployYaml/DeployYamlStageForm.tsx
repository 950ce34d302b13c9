import { FormikFormField, HelpField, RadioButtonInput, TextAreaInput } from '@spinnaker/core';
import type { IFormikStageConfigInjectedProps } from '@spinnaker/core';
import React from 'react';

import { useAgents } from '../../api';
import { summarizeDeployment, type TextProblem } from '@cdaas/contract/deployYaml';
import { ManifestArtifactField } from '../common/artifacts';
import { DeployYamlSummary } from './DeployYamlSummary';
import {
  bindingFor,
  checkedInBackground,
  DEPLOY_YML_ARTIFACT_PATH,
  expectedArtifactName,
  manifestPathsToBind,
  settingsOf,
  withBinding,
  type DeployYamlSettings,
  type DeployYamlStage,
  type ManifestBinding,
} from './model';
import { useDebouncedValue } from './useDebouncedValue';
import { useYamlResult } from './background/useYamlResult';

import './deployYamlStage.css';

/** Long enough not to parse on every key of a burst, short enough to feel live. */
export const CHECK_DELAY_MS = 300;

// Typed through the component: core's option type extends react-select's Option, whose types core does not ship.
const SOURCE_OPTIONS = [
  { value: 'text', label: 'Text' },
  { value: 'artifact', label: 'Artifact' },
] as unknown as React.ComponentProps<typeof RadioButtonInput>['options'];

const PLACEHOLDER = `version: v1
kind: kubernetes
application: potato-facts
targets:
  prod:
    account: prod-cluster
    namespace: potato-facts
    strategy: canary
manifests:
  - path: manifests/potato-facts.yml
strategies:
  canary:
    canary:
      steps:
        - setWeight:
            weight: 25
        - pause:
            untilApproved: true`;

/** A row laid out like Deck's own form fields (label column, then content), for content that is not a single input. */
function FormRow({ label, children }: { label?: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="sp-formItem">
      <div className="sp-formItem__left">{label && <div className="sp-formLabel">{label}</div>}</div>
      <div className="sp-formItem__right">{children}</div>
    </div>
  );
}

export function DeployYamlStageForm({ formik, pipeline }: IFormikStageConfigInjectedProps) {
  const stage = formik.values as DeployYamlStage;
  const settings = settingsOf(stage);
  const editorArea = React.useRef<HTMLDivElement>(null);

  const setBindings = (bindings: ManifestBinding[]) => formik.setFieldValue('cdaas.bindings', bindings);
  const artifactName = (id: string) => expectedArtifactName(pipeline, id) ?? id;

  const goTo = (p: TextProblem) => {
    const textarea = editorArea.current?.querySelector('textarea');
    if (!textarea || p.line === undefined) return;
    const lines = textarea.value.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += (p.column ?? 1) - 1;
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 16;
    textarea.scrollTop = Math.max(0, (p.line - 3) * lineHeight);
  };

  return (
    <div className="cdaas-deploy-yaml form-horizontal">
      <FormikFormField
        name="cdaas.source"
        label="deploy.yml source"
        help={<HelpField id="cdaas.deployYaml.source" />}
        input={(props) => <RadioButtonInput {...props} inline={true} options={SOURCE_OPTIONS} />}
      />
      {settings.source === 'text' ? (
        <TextSource settings={settings} editorArea={editorArea} goTo={goTo} />
      ) : (
        <ArtifactSource
          settings={settings}
          stage={stage}
          pipeline={pipeline}
          onChange={(id) => formik.setFieldValue('cdaas.deployYamlArtifactId', id)}
        />
      )}
      <ManifestBindings settings={settings} stage={stage} pipeline={pipeline} setBindings={setBindings} artifactName={artifactName} />
      {settings.source === 'text' && <Summary yaml={settings.yaml} settings={settings} artifactName={artifactName} />}
    </div>
  );
}

interface TextSourceProps {
  settings: DeployYamlSettings;
  editorArea: React.RefObject<HTMLDivElement>;
  goTo(p: TextProblem): void;
}

/** The editor and, beside it, the problems found once the user pauses typing. */
function TextSource({ settings, editorArea, goTo }: TextSourceProps) {
  const debounced = useDebouncedValue(settings.yaml, CHECK_DELAY_MS);
  // A large text goes to the background check at once (it never blocks a keystroke), a small one
  // is checked as the user pauses.
  const checked = checkedInBackground(settings.yaml) ? settings.yaml : debounced;
  const { result, fresh } = useYamlResult(checked);
  const pending = checked !== settings.yaml || !fresh;
  const problems = checked.trim() && fresh && result ? result.problems : [];
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const counts = [errors && `${errors} ${errors === 1 ? 'error' : 'errors'}`, warnings && `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`];
  let status: string;
  if (!checked.trim()) status = 'Write or paste a deploy.yml.';
  else if (!problems.length) status = 'deploy.yml is valid.';
  else status = `${counts.filter(Boolean).join(', ')} in deploy.yml.`;

  return (
    <div ref={editorArea}>
      <FormikFormField
        name="cdaas.yaml"
        label="deploy.yml"
        help={<HelpField id="cdaas.deployYaml.yaml" />}
        input={(props) => (
          <TextAreaInput {...props} aria-label="deploy.yml" rows={20} spellCheck={false} inputClassName="cdaas-code" placeholder={PLACEHOLDER} />
        )}
      />
      <FormRow>
        <section className="cdaas-deploy-yaml-problems" aria-label="deploy.yml problems">
          <p role="status">{pending ? 'Checking deploy.yml...' : status}</p>
          {problems.length > 0 && (
            <ul>
              {problems.map((p, i) => (
                <li key={i} className={p.severity === 'error' ? 'cdaas-problem-error' : 'cdaas-problem-warning'}>
                  {p.severity === 'error' ? 'Error' : 'Warning'}{' '}
                  {p.line !== undefined && (
                    <button type="button" className="link" onClick={() => goTo(p)} aria-label={`Go to line ${p.line}, column ${p.column ?? 1}`}>
                      {`${p.line}:${p.column ?? 1}`}
                    </button>
                  )}
                  <span>{p.message}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </FormRow>
    </div>
  );
}

interface ArtifactSourceProps {
  settings: DeployYamlSettings;
  stage: DeployYamlStage;
  pipeline: IFormikStageConfigInjectedProps['pipeline'];
  onChange(id: string | undefined): void;
}

function ArtifactSource({ settings, stage, pipeline, onChange }: ArtifactSourceProps) {
  return (
    <div>
      <ManifestArtifactField
        label="deploy.yml artifact"
        stage={stage}
        pipeline={pipeline}
        expectedArtifactId={settings.deployYamlArtifactId}
        onChange={(id) => onChange(id)}
        help="cdaas.deployYaml.artifact"
      />
      <FormRow>
        {!settings.deployYamlArtifactId && <p className="error-message">Choose the artifact that holds deploy.yml.</p>}
        <p className="help-block">
          Spinnaker cannot read this file while you edit the pipeline, so it is checked when the stage runs: the CD-as-a-Service
          bridge fetches the artifact, parses it and refuses it with its problems (path and line) if it is invalid. List below the
          manifest paths it names under <code>manifests[].path</code> so each can be bound to an artifact.
        </p>
      </FormRow>
    </div>
  );
}

interface ManifestBindingsProps {
  settings: DeployYamlSettings;
  stage: DeployYamlStage;
  pipeline: IFormikStageConfigInjectedProps['pipeline'];
  setBindings(bindings: ManifestBinding[]): void;
  artifactName(id: string): string;
}

const manifestsLabel = (
  <>
    Manifest artifacts <HelpField id="cdaas.deployYaml.manifests" />
  </>
);

/**
 * One artifact picker per `manifests[].path`: CDaaS gets each manifest's text from its artifact.
 * The picker lays itself out as a Deck form row, so it sits beside these rows, not inside them.
 */
function ManifestBindings({ settings, stage, pipeline, setBindings, artifactName }: ManifestBindingsProps) {
  const { bindings } = settings;
  // Hooks first: the paths come from the text's check, which a large text gets in the background.
  const { result } = useYamlResult(settings.source === 'text' ? settings.yaml : '');
  const bind = (i: number, id: string | undefined) =>
    setBindings(bindings.map((x, j) => (j === i ? { path: x.path, ...(id ? { expectedArtifactId: id } : {}) } : x)));

  if (settings.source === 'artifact') {
    const paths = bindings.map((b) => b.path.trim());
    return (
      <section aria-label="Manifest artifacts">
        <FormRow label={manifestsLabel}>
          {bindings.length === 0 && <p>No manifest paths listed. Add each path the deploy.yml lists under manifests[].path.</p>}
        </FormRow>
        {bindings.map((b, i) => {
          const path = b.path.trim();
          const duplicate = path !== '' && paths.indexOf(path) !== i;
          return (
            <div key={i}>
              <FormRow label={`Manifest path ${i + 1}`}>
                <div className="cdaas-binding-row">
                  <input
                    type="text"
                    className="form-control input-sm"
                    aria-label={`Manifest path ${i + 1}`}
                    placeholder="manifests/app.yml"
                    value={b.path}
                    onChange={(e) => setBindings(bindings.map((x, j) => (j === i ? { ...x, path: e.target.value } : x)))}
                  />
                  <button
                    type="button"
                    className="btn btn-sm btn-default"
                    aria-label={`Remove manifest path ${i + 1}`}
                    onClick={() => setBindings(bindings.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </div>
                {path === '' && <p className="error-message">Enter the path as deploy.yml writes it.</p>}
                {path === DEPLOY_YML_ARTIFACT_PATH && (
                  <p className="error-message">{DEPLOY_YML_ARTIFACT_PATH} is reserved for the deploy.yml artifact itself.</p>
                )}
                {duplicate && <p className="error-message">{path} is listed twice.</p>}
              </FormRow>
              <ManifestArtifactField
                label={`Artifact for ${path || `manifest path ${i + 1}`}`}
                stage={stage}
                pipeline={pipeline}
                expectedArtifactId={b.expectedArtifactId}
                onChange={(id) => bind(i, id)}
              />
              <BindingStatus path={path} id={b.expectedArtifactId} artifactName={artifactName} hidden={path === '' || duplicate} />
            </div>
          );
        })}
        <FormRow>
          <button type="button" className="btn btn-sm btn-default" onClick={() => setBindings([...bindings, { path: '' }])}>
            Add manifest path
          </button>
        </FormRow>
      </section>
    );
  }

  // A large text not checked yet lists its paths when the background check answers.
  const paths = !result && checkedInBackground(settings.yaml) ? [] : manifestPathsToBind(settings, result);
  return (
    <section aria-label="Manifest artifacts">
      <FormRow label={manifestsLabel}>
        {paths.length === 0 ? (
          <p>deploy.yml lists no manifest paths yet. Inline manifests need no artifact.</p>
        ) : (
          <p className="help-block">Each path deploy.yml lists under manifests[].path needs the artifact that holds its text.</p>
        )}
      </FormRow>
      {paths.map((path) => {
        const id = bindingFor(settings, path);
        return (
          <div key={path}>
            <ManifestArtifactField
              label={`Artifact for ${path}`}
              stage={stage}
              pipeline={pipeline}
              expectedArtifactId={id}
              onChange={(next) => setBindings(withBinding(bindings, path, next))}
              help="cdaas.deployYaml.manifests"
            />
            <BindingStatus path={path} id={id} artifactName={artifactName} />
          </div>
        );
      })}
    </section>
  );
}

function BindingStatus({ path, id, artifactName, hidden }: { path: string; id?: string; artifactName(id: string): string; hidden?: boolean }) {
  if (hidden) return null;
  return (
    <FormRow>
      {id ? <p className="help-block">Bound to {artifactName(id)}.</p> : <p className="error-message">No artifact bound to {path} yet.</p>}
    </FormRow>
  );
}

function Summary({ yaml, settings, artifactName }: { yaml: string; settings: DeployYamlSettings; artifactName(id: string): string }) {
  // Read once per opened stage (this component stays mounted while the text is edited).
  const agents = useAgents();
  const debounced = useDebouncedValue(yaml, CHECK_DELAY_MS);
  const checked = checkedInBackground(yaml) ? yaml : debounced;
  const { result } = useYamlResult(checked);
  const deployment = checked.trim() ? result?.deployment : undefined;
  if (!deployment) return null;
  return (
    <FormRow
      label={
        <>
          What was understood <HelpField id="cdaas.deployYaml.summary" />
        </>
      }
    >
      <DeployYamlSummary
        agents={agents}
        summary={summarizeDeployment(deployment)}
        boundArtifact={(path) => {
          const id = bindingFor(settings, path);
          return id ? artifactName(id) : undefined;
        }}
      />
    </FormRow>
  );
}
