import { HelpField, useDebouncedValue, ValidationMessage } from '@spinnaker/core';
import type { IFormikStageConfigInjectedProps } from '@spinnaker/core';
import React from 'react';

import { useAgents, type AgentsState } from '../../api';
import { sortProblems, summarizeDeployment, type TextProblem } from '@cdaas/contract/deployYaml';
import { ManifestArtifactField } from '../common/artifacts';
import { BridgeUrlNote } from '../common/form/BridgeUrlNote';
import { FormRow, RadioGroup } from '../common/form/FormRow';
import { ProblemList } from '../common/form/ProblemList';
import { useFieldId } from '../common/form/useFieldId';
import { YamlTextEditor, type YamlTextEditorHandle } from '../common/form/YamlTextEditor';
import type { StageContext } from '../common/stageContext';
import { DeployYamlSummary } from './DeployYamlSummary';
import { accountProblems } from './TargetAccounts';
import {
  bindingFor,
  checkYaml,
  DEPLOY_YML_ARTIFACT_PATH,
  expectedArtifactName,
  manifestPathsToBind,
  settingsOf,
  withBinding,
  type DeployYamlSettings,
  type DeployYamlStage,
  type ManifestBinding,
} from './model';

import './deployYamlStage.css';

/** Long enough not to parse on every key of a burst, short enough to feel live. */
export const CHECK_DELAY_MS = 300;

/** Offered to start from (the editor has no placeholder). */
const EXAMPLE = `version: v1
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

export function DeployYamlStageForm({ formik, pipeline, context }: IFormikStageConfigInjectedProps & { context: StageContext }) {
  const stage = formik.values as DeployYamlStage;
  const settings = settingsOf(stage);
  const editor = React.useRef<YamlTextEditorHandle>(null);
  // Read once per opened stage (the form stays mounted while the text is edited).
  const agents = useAgents();

  const setBindings = (bindings: ManifestBinding[]) => formik.setFieldValue('cdaas.bindings', bindings);
  const artifactName = (id: string) => expectedArtifactName(pipeline, id) ?? id;

  return (
    <div className="cdaas-deploy-yaml form-horizontal">
      <BridgeUrlNote context={context} />
      <RadioGroup
        label="deploy.yml source"
        help="cdaas.deployYaml.source"
        value={settings.source}
        options={[
          { value: 'text', label: 'Text' },
          { value: 'artifact', label: 'Artifact' },
        ]}
        onChange={(v) => formik.setFieldValue('cdaas.source', v)}
      />
      {settings.source === 'text' ? (
        <TextSource settings={settings} editor={editor} agents={agents} onChange={(text) => formik.setFieldValue('cdaas.yaml', text)} />
      ) : (
        <ArtifactSource
          settings={settings}
          stage={stage}
          pipeline={pipeline}
          onChange={(id) => formik.setFieldValue('cdaas.deployYamlArtifactId', id)}
        />
      )}
      <ManifestBindings settings={settings} stage={stage} pipeline={pipeline} setBindings={setBindings} artifactName={artifactName} />
      {settings.source === 'text' && <Summary yaml={settings.yaml} settings={settings} agents={agents} artifactName={artifactName} />}
    </div>
  );
}

interface TextSourceProps {
  settings: DeployYamlSettings;
  editor: React.RefObject<YamlTextEditorHandle>;
  agents: AgentsState;
  onChange(text: string): void;
}

/** Everything said about the text once the user pauses typing: its own problems and the accounts'. */
function useProblems(yaml: string, agents: AgentsState): { checked: string; pending: boolean; problems: TextProblem[] } {
  const [checked, pending] = useDebouncedValue(yaml, CHECK_DELAY_MS);
  const problems = React.useMemo(() => {
    if (!checked.trim()) return [];
    const result = checkYaml(checked);
    const accounts = result.deployment ? accountProblems(checked, summarizeDeployment(result.deployment), agents) : [];
    return sortProblems([...result.problems, ...accounts]);
  }, [checked, agents]);
  return { checked, pending, problems };
}

function statusOf(checked: string, problems: TextProblem[]): string {
  if (!checked.trim()) return 'Write or paste a deploy.yml.';
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (!problems.length) return 'deploy.yml is valid.';
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  // "valid" only when nothing is wrong: a target with no connected agent is a warning, said so.
  if (!errors) return `No errors, ${count(warnings, 'warning')} in deploy.yml.`;
  return `${count(errors, 'error')}${warnings ? `, ${count(warnings, 'warning')}` : ''} in deploy.yml.`;
}

/** Deck's YAML editor with the problems marked on their lines and listed under it. */
function TextSource({ settings, editor, agents, onChange }: TextSourceProps) {
  const { checked, pending, problems } = useProblems(settings.yaml, agents);
  const id = useFieldId('cdaas.yaml');
  const hasErrors = !pending && problems.some((p) => p.severity === 'error');

  return (
    <div>
      <FormRow
        label={
          <label htmlFor={id} style={{ fontWeight: 'inherit', margin: 0 }}>
            deploy.yml
          </label>
        }
        help="cdaas.deployYaml.yaml"
      >
        <div className={hasErrors ? 'has-error' : undefined}>
          <YamlTextEditor ref={editor} id={id} label="deploy.yml" value={settings.yaml} onChange={onChange} problems={pending ? [] : problems} />
        </div>
        {!settings.yaml.trim() && (
          <button type="button" className="btn btn-link btn-sm" onClick={() => onChange(EXAMPLE)}>
            Start from an example deploy.yml
          </button>
        )}
      </FormRow>
      <FormRow>
        <ProblemList
          label="deploy.yml problems"
          status={pending ? 'Checking deploy.yml...' : statusOf(checked, problems)}
          problems={pending ? [] : problems}
          goTo={(line, column) => editor.current?.goTo(line, column)}
        />
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
        {!settings.deployYamlArtifactId && <ValidationMessage type="error" message="Choose the artifact that holds deploy.yml." />}
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
                {path === '' && <ValidationMessage type="error" message="Enter the path as deploy.yml writes it." />}
                {path === DEPLOY_YML_ARTIFACT_PATH && (
                  <ValidationMessage type="error" message={`${DEPLOY_YML_ARTIFACT_PATH} is reserved for the deploy.yml artifact itself.`} />
                )}
                {duplicate && <ValidationMessage type="error" message={`${path} is listed twice.`} />}
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

  const paths = manifestPathsToBind(settings);
  return (
    <section aria-label="Manifest artifacts">
      <FormRow label={manifestsLabel}>
        {paths.length === 0 ? (
          // Unparseable text has no paths to read: saying it lists none would contradict the editor.
          <p>
            {settings.yaml.trim() && !checkYaml(settings.yaml).deployment
              ? 'Manifest paths are read from deploy.yml once it parses.'
              : 'deploy.yml lists no manifest paths yet. Inline manifests need no artifact.'}
          </p>
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
      {id ? <p className="help-block">Bound to {artifactName(id)}.</p> : <ValidationMessage type="error" message={`No artifact bound to ${path} yet.`} />}
    </FormRow>
  );
}

function Summary({ yaml, settings, agents, artifactName }: { yaml: string; settings: DeployYamlSettings; agents: AgentsState; artifactName(id: string): string }) {
  const [checked] = useDebouncedValue(yaml, CHECK_DELAY_MS);
  const deployment = checked.trim() ? checkYaml(checked).deployment : undefined;
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
