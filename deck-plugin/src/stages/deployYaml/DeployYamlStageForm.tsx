import { HelpField } from '@spinnaker/core';
import type { IFormikStageConfigInjectedProps } from '@spinnaker/core';
import React from 'react';

import { useAgents, type AgentsState } from '../../api';
import { afterNextPaint } from '../../lazy/afterPaint';
import { sortProblems, summarizeDeployment, type DeployYamlResult, type DeploymentSummary, type TextProblem } from '@cdaas/contract/deployYaml';
import { type ArtifactChoice, choiceName, isChosen, isInlineChoice, ManifestArtifactField } from '../common/artifacts';
import { BridgeUrlNote } from '../common/form/BridgeUrlNote';
import { FieldMessage } from '../common/form/FieldMessage';
import { FormRow, RadioGroup } from '../common/form/FormRow';
import { ProblemList, StatusLine } from '../common/form/ProblemList';
import { useFieldId } from '../common/form/useFieldId';
import { YamlTextEditor, type YamlTextEditorHandle } from '../common/form/YamlTextEditor';
import type { StageContext } from '../common/stageContext';
import { DeployYamlSummary } from './DeployYamlSummary';
import { isBlank } from './stageSettings';
import { accountProblems } from './TargetAccounts';
import { useStable, useTextToCheck, useYamlResult, type Answered } from './background/useYamlResult';
import { derivedWith, hasDeployment, validateInBackground } from './background/validateInBackground';
import {
  bindingAt,
  bindingFor,
  deployYamlChoice,
  deployYamlChoiceFields,
  checkedInBackground,
  DEPLOY_YML_ARTIFACT_PATH,
  expectedArtifactName,
  settingsOf,
  TYPING_PAUSE_MS,
  withBinding,
  type DeployYamlSettings,
  type DeployYamlStage,
  type ManifestBinding,
} from './model';

import './deployYamlStage.css';

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

/**
 * What the form needs from Deck's config around it: a large text is kept here while it is typed
 * (see useDraft), and Deck must still get it when the user leaves the form before it reached Formik.
 */
export interface DraftSink {
  /** The text typed but not yet in Formik, or undefined once Formik has it. */
  draft(text: string | undefined): void;
}

export interface DeployYamlStageFormProps extends IFormikStageConfigInjectedProps {
  context: StageContext;
  drafts?: DraftSink;
}

/**
 * The editor's text as typed, read as the form renders and watched by the status line: for a large
 * text it runs ahead of what the form has drawn (see useDraft). Only the status line subscribes,
 * so a keystroke redraws one line, not the form.
 */
class TypedText {
  private listeners = new Set<() => void>();
  constructor(public current: string) {}
  set(text: string): void {
    if (text === this.current) return;
    this.current = text;
    for (const l of this.listeners) l();
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

/**
 * The editor's text. A small text goes to Formik on every key, as any field does. A large one
 * stays in Ace (the editor is left to hold it) until its check answers: only then does the form
 * draw it, with its problems, and it reaches Formik once typing pauses (TYPING_PAUSE_MS after
 * that answer, no keystroke since). Formik re-renders the whole form and validates the stage
 * for every value, and Deck copies the pipeline, and even this form's own render per keystroke
 * (its sections, react-ace comparing the whole text) cost more than a keystroke may. Leaving the
 * editor, switching the source or closing the form hands the text over at once (`flush`, and the
 * sink). Formik's own changes (the example button, an artifact source switch) still reach the editor.
 */
function useDraft(formikText: string, push: (text: string) => void, drafts: DraftSink | undefined) {
  // The text the form draws, with its check's answer when a large text's answer drew it.
  const [drawn, setDrawn] = React.useState<{ text: string; result?: DeployYamlResult }>({ text: formikText });
  const draft = drawn.text;
  const typed = React.useRef<TypedText>();
  typed.current ??= new TypedText(formikText);
  const pushed = React.useRef(formikText);
  if (formikText !== pushed.current) {
    // Formik changed it without us (or caught up with what we pushed): Formik's text wins. The
    // status line reads it as it renders with the form; no one is notified during a render.
    pushed.current = formikText;
    typed.current.current = formikText;
    if (draft !== formikText) setDrawn({ text: formikText });
  }
  // The sink forgets a draft once Formik's values carry it (DeployYamlStageConfig's onChange): a
  // blur pushes here first, and Deck's config must still see the draft in the same event.
  const pause = React.useRef<ReturnType<typeof setTimeout>>();
  const flush = React.useCallback(
    (text: string) => {
      clearTimeout(pause.current);
      if (text === pushed.current) return;
      pushed.current = text;
      push(text);
    },
    [push],
  );
  const flushOncePaused = React.useCallback(
    (text: string) => {
      clearTimeout(pause.current);
      pause.current = setTimeout(() => typed.current!.current === text && flush(text), TYPING_PAUSE_MS);
    },
    [flush],
  );
  // Closing the form hands the draft to Deck through the sink; Formik is gone by then.
  React.useEffect(() => () => clearTimeout(pause.current), []);
  const change = React.useCallback(
    (text: string) => {
      const live = typed.current!;
      // A keystroke restarts the pause.
      clearTimeout(pause.current);
      const previous = live.current;
      live.set(text);
      // Replacing a large text (select all, paste) passes through an empty one: that must not
      // reach Deck on its own, so a text that was large (as typed, or as Formik has it) waits for
      // its check like a large one.
      const large = checkedInBackground(text) || checkedInBackground(previous) || checkedInBackground(pushed.current);
      drafts?.draft(large ? text : undefined);
      if (!large) {
        setDrawn({ text });
        flush(text);
        return;
      }
      // Drawn once its answer is known (then the check hook finds it at once); an answer for a
      // text typed over since is dropped, the newer text's own answer follows.
      validateInBackground(text, { latestOnly: true }).then((result) => live.current === text && setDrawn({ text, result }));
    },
    [flush, drafts],
  );
  return { draft, answered: drawn.result ? drawn : undefined, typed: typed.current, change, flush, flushOncePaused };
}

export function DeployYamlStageForm({ formik, pipeline, context, drafts }: DeployYamlStageFormProps) {
  const stage = formik.values as DeployYamlStage;
  const read = settingsOf(stage);
  // settingsOf copies the bindings; equal bindings keep one array, so the memoised parts skip.
  const bindings = useStable(read.bindings, JSON.stringify(read.bindings));
  const settings = { ...read, bindings };
  const editor = React.useRef<YamlTextEditorHandle>(null);
  // Read once per opened stage (the form stays mounted while the text is edited).
  const agents = useAgents();
  // Formik's setFieldValue changes identity with every render; the form's memoised parts must not.
  const formikRef = React.useRef(formik);
  formikRef.current = formik;
  const setField = React.useCallback((field: string, value: unknown) => formikRef.current.setFieldValue(field, value), []);
  const pushText = React.useCallback((text: string) => setField('cdaas.yaml', text), [setField]);
  const { draft, answered, typed, change, flush, flushOncePaused } = useDraft(settings.yaml, pushText, drafts);

  // One check per text, shared by the editor's marks, the problem list, the bindings and the summary.
  const check = useDeployYamlCheck(settings.source === 'text' ? draft : '', agents, answered);
  // A large text reaches Formik once its check has answered (by then the payload's deployment is
  // known) and typing has paused.
  React.useEffect(() => {
    if (check.fresh && check.checked === draft) (checkedInBackground(draft) ? flushOncePaused : flush)(draft);
  }, [check.fresh, check.checked, draft, flush, flushOncePaused]);

  const setBindings = React.useCallback((bindings: ManifestBinding[]) => setField('cdaas.bindings', bindings), [setField]);
  const artifactName = React.useCallback(
    (choice: ArtifactChoice) => choiceName(choice, (id) => expectedArtifactName(pipeline, id) ?? id),
    [pipeline],
  );
  const setDeployYamlArtifact = (choice: ArtifactChoice) => {
    const { deployYamlArtifactId: _id, deployYamlArtifactSource: _source, deployYamlInlineArtifact: _inline, ...rest } = formik.values.cdaas ?? {};
    formik.setFieldValue('cdaas', { ...rest, ...deployYamlChoiceFields(choice) });
  };

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
        onChange={(v) => {
          flush(typed.current);
          formik.setFieldValue('cdaas.source', v);
        }}
      />
      {settings.source === 'text' ? (
        <TextSource typed={typed} check={check} editor={editor} onChange={change} onBlur={() => flush(typed.current)} />
      ) : (
        <ArtifactSource
          settings={settings}
          stage={stage}
          pipeline={pipeline}
          onChange={setDeployYamlArtifact}
        />
      )}
      {settings.source === 'text' ? (
        <TextManifestBindings
          paths={check.paths}
          parses={check.parses}
          empty={isBlank(check.checked)}
          bindings={settings.bindings}
          stage={stage}
          pipeline={pipeline}
          setBindings={setBindings}
          artifactName={artifactName}
        />
      ) : (
        <ArtifactManifestBindings bindings={settings.bindings} stage={stage} pipeline={pipeline} setBindings={setBindings} artifactName={artifactName} />
      )}
      {settings.source === 'text' && check.summary && (
        <Summary summary={check.summary} bindings={settings.bindings} agents={agents} artifactName={artifactName} />
      )}
    </div>
  );
}

interface DeployYamlCheck {
  /** The text the answer below belongs to. */
  checked: string;
  /** True while the newest text has not been checked yet (the answer shown is an older text's). */
  pending: boolean;
  problems: TextProblem[];
  summary?: DeploymentSummary;
  /** `manifests[].path` of the checked text. */
  paths: string[];
  parses: boolean;
  fresh: boolean;
}

const NO_PROBLEMS: TextProblem[] = [];
const NO_PATHS: string[] = [];

/**
 * Everything said about the text: its own problems and the accounts', its summary and paths,
 * from one check per text (main thread for a small text once typing pauses, the worker for a
 * large one). Equal answers keep their objects, so an unchanged list is not drawn again.
 */
function useDeployYamlCheck(text: string, agents: AgentsState, answered?: Answered): DeployYamlCheck {
  const [toCheck, settling] = useTextToCheck(text);
  const { result, checked, fresh } = useYamlResult(toCheck, answered);
  const derived = React.useMemo(() => derive(checked, result, agents), [checked, result, agents]);
  const problems = useStable(derived.problems, derived.problemsKey);
  const summary = useStable(derived.summary, derived.summaryKey);
  const paths = useStable(derived.paths, derived.paths.join('\n'));
  return { checked, pending: settling || !fresh, problems, summary, paths, parses: !!result && hasDeployment(result), fresh: fresh && !settling };
}

function derive(checked: string, result: DeployYamlResult | undefined, agents: AgentsState) {
  if (isBlank(checked) || !result) return { problems: NO_PROBLEMS, problemsKey: '', summary: undefined, summaryKey: '', paths: NO_PATHS };
  // A worker's answer comes with its summary (and only parses its deployment when the payload
  // reads it); a main-thread one is summarized here.
  const fromWorker = derivedWith(result);
  const summary = fromWorker ? fromWorker.summary : result.deployment ? summarizeDeployment(result.deployment) : undefined;
  const accounts = summary ? accountProblems(summary, agents, result.accountPositions) : [];
  const problems = sortProblems([...result.problems, ...accounts]);
  return {
    problems,
    problemsKey: JSON.stringify(problems),
    summary,
    summaryKey: summary ? JSON.stringify(summary) : '',
    paths: result.manifestPaths.map((m) => m.path),
  };
}

function statusOf(checked: string, problems: TextProblem[]): string {
  if (isBlank(checked)) return 'Write or paste a deploy.yml.';
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (!problems.length) return 'deploy.yml is valid.';
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  // "valid" only when nothing is wrong: a target with no connected agent is a warning, said so.
  if (!errors) return `No errors, ${count(warnings, 'warning')} in deploy.yml.`;
  return `${count(errors, 'error')}${warnings ? `, ${count(warnings, 'warning')}` : ''} in deploy.yml.`;
}

interface TextSourceProps {
  typed: TypedText;
  check: DeployYamlCheck;
  editor: React.RefObject<YamlTextEditorHandle>;
  onChange(text: string): void;
  onBlur(): void;
}

const MemoProblemList = React.memo(ProblemList);

/**
 * A check taking longer than this says "Checking deploy.yml..."; a quicker one leaves the last
 * answer's words in place (marked busy) until its own. The worker answers a keystroke in a large
 * text in tens of ms, and the words flipping twice per key flickered and were read out twice.
 */
export const SLOW_CHECK_MS = 300;

/**
 * The problem list's status line, redrawn on its own as the user types: busy while the text typed
 * is not the one checked (a large text is not drawn by the form until then), and "Checking
 * deploy.yml..." once that has lasted SLOW_CHECK_MS.
 */
function CheckStatus({ typed, check }: { typed: TypedText; check: DeployYamlCheck }) {
  const [, redraw] = React.useReducer((n: number) => n + 1, 0);
  // Redrawn after the keystroke's frame is painted, so that frame holds Ace's redraw only and the
  // status line is laid out and painted in the next one: inside the keystroke, Ace resets its
  // textarea after handing over the text, and a status line changed before that is laid out there
  // and then; in the keystroke's frame, its layout and paint were added to Ace's.
  React.useEffect(() => {
    let cancel: (() => void) | undefined;
    const unsubscribe = typed.subscribe(() => {
      cancel ??= afterNextPaint(() => {
        cancel = undefined;
        redraw();
      });
    });
    return () => {
      unsubscribe();
      cancel?.();
    };
  }, [typed]);
  const pending = check.pending || typed.current !== check.checked;
  const [slow, setSlow] = React.useState(false);
  // Timed from the first keystroke not yet answered: more keys meanwhile do not restart it.
  React.useEffect(() => {
    if (!pending) return setSlow(false);
    const timer = setTimeout(() => setSlow(true), SLOW_CHECK_MS);
    return () => clearTimeout(timer);
  }, [pending]);
  // Before any answer there are no last words to keep.
  const checking = pending && (slow || isBlank(check.checked));
  return <StatusLine busy={pending}>{checking ? 'Checking deploy.yml...' : statusOf(check.checked, check.problems)}</StatusLine>;
}

/** Deck's YAML editor with the problems marked on their lines and listed under it. */
function TextSource({ typed, check, editor, onChange, onBlur }: TextSourceProps) {
  const { problems } = check;
  // What the editor holds: for a large text the form is drawn again only when its check answers,
  // and the editor must then be given the text as typed since, never an older one.
  const text = typed.current;
  const id = useFieldId('cdaas.yaml');
  // While a newer text is checked the last answer stays on screen (the status says so): clearing
  // and redrawing every mark per keystroke is what made a 5,000-line file stutter.
  const hasErrors = problems.some((p) => p.severity === 'error');
  const shown = problems;
  const goTo = React.useCallback((line: number, column?: number) => editor.current?.goTo(line, column), [editor]);

  return (
    <div onBlur={onBlur}>
      <FormRow
        label={
          <label htmlFor={id} style={{ fontWeight: 'inherit', margin: 0 }}>
            deploy.yml
          </label>
        }
        help="cdaas.deployYaml.yaml"
      >
        <div className={hasErrors ? 'has-error' : undefined}>
          <YamlTextEditor ref={editor} id={id} label="deploy.yml" value={text} onChange={onChange} problems={shown} />
        </div>
        {isBlank(text) && (
          <button type="button" className="btn btn-link btn-sm" onClick={() => onChange(EXAMPLE)}>
            Start from an example deploy.yml
          </button>
        )}
      </FormRow>
      <FormRow>
        <MemoProblemList label="deploy.yml problems" status={<CheckStatus typed={typed} check={check} />} problems={shown} goTo={goTo} />
      </FormRow>
    </div>
  );
}

interface ArtifactSourceProps {
  settings: DeployYamlSettings;
  stage: DeployYamlStage;
  pipeline: IFormikStageConfigInjectedProps['pipeline'];
  onChange(choice: ArtifactChoice): void;
}

function ArtifactSource({ settings, stage, pipeline, onChange }: ArtifactSourceProps) {
  const choice = deployYamlChoice(settings);
  return (
    <div>
      <ManifestArtifactField
        label="deploy.yml artifact"
        stage={stage}
        pipeline={pipeline}
        value={choice}
        onChange={onChange}
        help="cdaas.deployYaml.artifact"
      />
      <FormRow>
        {!isChosen(choice) && <FieldMessage message="Choose the artifact that holds deploy.yml." />}
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
  bindings: ManifestBinding[];
  stage: DeployYamlStage;
  pipeline: IFormikStageConfigInjectedProps['pipeline'];
  setBindings(bindings: ManifestBinding[]): void;
  artifactName(choice: ArtifactChoice): string | undefined;
}

const manifestsLabel = (
  <>
    Manifest artifacts <HelpField id="cdaas.deployYaml.manifests" />
  </>
);

/**
 * With an artifact deploy.yml Deck cannot read the file: the user lists the manifest paths, each
 * with its artifact. The picker lays itself out as a Deck form row, so it sits beside these rows.
 */
function ArtifactManifestBindings({ bindings, stage, pipeline, setBindings, artifactName }: ManifestBindingsProps) {
  const bind = (i: number, choice: ArtifactChoice) => setBindings(bindings.map((x, j) => (j === i ? { ...choice, path: x.path } : x)));
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
              {path === '' && <FieldMessage message="Enter the path as deploy.yml writes it." />}
              {path === DEPLOY_YML_ARTIFACT_PATH && (
                <FieldMessage message={`${DEPLOY_YML_ARTIFACT_PATH} is reserved for the deploy.yml artifact itself.`} />
              )}
              {duplicate && <FieldMessage message={`${path} is listed twice.`} />}
            </FormRow>
            <ManifestArtifactField
              label={`Artifact for ${path || `manifest path ${i + 1}`}`}
              stage={stage}
              pipeline={pipeline}
              value={b}
              onChange={(choice) => bind(i, choice)}
            />
            <BindingStatus path={path} binding={b} artifactName={artifactName} hidden={path === '' || duplicate} />
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

interface TextManifestBindingsProps extends ManifestBindingsProps {
  /** `manifests[].path` of the checked text (each needs an artifact). */
  paths: string[];
  /** Whether the checked text parsed; `empty`: there is no text. */
  parses: boolean;
  empty: boolean;
}

/**
 * One artifact picker per `manifests[].path` of the checked text: CDaaS gets each manifest's text
 * from its artifact. Memoised: typing that does not change the paths does not draw it again.
 */
const TextManifestBindings = React.memo(function TextManifestBindings(props: TextManifestBindingsProps) {
  const { paths, parses, empty, bindings, stage, pipeline, setBindings, artifactName } = props;
  const settings: DeployYamlSettings = { source: 'text', yaml: '', bindings };
  return (
    <section aria-label="Manifest artifacts">
      <FormRow label={manifestsLabel}>
        {paths.length === 0 ? (
          // Unparseable text has no paths to read: saying it lists none would contradict the editor.
          <p>
            {!empty && !parses
              ? 'Manifest paths are read from deploy.yml once it parses.'
              : 'deploy.yml lists no manifest paths yet. Inline manifests need no artifact.'}
          </p>
        ) : (
          <p className="help-block">Each path deploy.yml lists under manifests[].path needs the artifact that holds its text.</p>
        )}
      </FormRow>
      {paths.map((path) => {
        const binding = bindingAt(settings, path);
        return (
          <div key={path}>
            <ManifestArtifactField
              label={`Artifact for ${path}`}
              stage={stage}
              pipeline={pipeline}
              value={binding}
              onChange={(next) => setBindings(withBinding(bindings, path, next))}
              help="cdaas.deployYaml.manifests"
            />
            <BindingStatus path={path} binding={binding} artifactName={artifactName} />
          </div>
        );
      })}
    </section>
  );
}, sameExceptStage);

/**
 * The pickers read the stage only for Deck's artifact lookups (the pipeline's expected artifacts
 * and this stage's id), which the text does not change: a new text must not redraw them all.
 */
function sameExceptStage(a: TextManifestBindingsProps, b: TextManifestBindingsProps): boolean {
  return (
    a.paths === b.paths &&
    a.parses === b.parses &&
    a.empty === b.empty &&
    a.bindings === b.bindings &&
    a.pipeline === b.pipeline &&
    a.setBindings === b.setBindings &&
    a.artifactName === b.artifactName &&
    a.stage.refId === b.stage.refId
  );
}

interface BindingStatusProps {
  path: string;
  binding?: ArtifactChoice;
  artifactName(choice: ArtifactChoice): string | undefined;
  hidden?: boolean;
}

function BindingStatus({ path, binding, artifactName, hidden }: BindingStatusProps) {
  // An inline artifact's editor is right above, with its own messages.
  if (hidden || isInlineChoice(binding)) return null;
  const name = binding && artifactName(binding);
  return (
    <FormRow>
      {name ? <p className="help-block">Bound to {name}.</p> : <FieldMessage message={`No artifact bound to ${path} yet.`} />}
    </FormRow>
  );
}

interface SummaryProps {
  summary: DeploymentSummary;
  bindings: ManifestBinding[];
  agents: AgentsState;
  artifactName(choice: ArtifactChoice): string | undefined;
}

/** "What was understood", memoised on the checked text's summary (equal answers keep one object). */
const Summary = React.memo(function Summary({ summary, bindings, agents, artifactName }: SummaryProps) {
  const settings: DeployYamlSettings = { source: 'text', yaml: '', bindings };
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
        summary={summary}
        boundArtifact={(path) => {
          const binding = bindingFor(settings, path);
          return binding ? artifactName(binding) : undefined;
        }}
      />
    </FormRow>
  );
});
