import { FormikStageConfig } from '@spinnaker/core';
import type { IStage, IStageConfigProps } from '@spinnaker/core';
import React from 'react';

import { useStageContext } from '../common/stageContext';
import { DeployYamlStageForm, type DraftSink } from './DeployYamlStageForm';
import { validateInBackground } from './background/validateInBackground';
import { checkedInBackground, savedSettings, settingsOf, webhookFieldsFor, type DeployYamlStage } from './model';

/** How long typing in a large deploy.yml must pause before Deck gets the stage (see below). */
const SEND_AFTER_PAUSE_MS = 400;

/**
 * Formik holds what the user edits (`cdaas`); every change goes to Deck with the Webhook stage
 * fields recomputed from it, so the saved JSON always matches the text. Nothing is written into
 * the stage prop directly: Deck applies the changes through updateStage.
 */
export function DeployYamlStageConfig({ application, pipeline, stage, updateStage }: IStageConfigProps) {
  const context = useStageContext(application.name);
  // Computed once per mounted stage, like Deck's own Formik stages: Formik owns the values after that.
  const initialValues = React.useMemo<DeployYamlStage>(() => ({ ...stage, cdaas: settingsOf(stage as DeployYamlStage) }), []);
  // A large deploy.yml is checked in the background, and Deck gets the stage once the user
  // pauses: Deck copies and compares the whole pipeline on every update, which for a 5,000-line
  // text costs far more than a keystroke may. (The form hands such a text to Formik only once
  // typing pauses; this pause is for the other fields typed in beside it.) Leaving the form
  // (blur) sends at once, so a click on Save never misses what was typed.
  const latest = React.useRef<IStage>();
  // Formik's values as last seen, and a large text the form holds until its check answers: leaving
  // the form sends that text with them, so the last keystrokes are never lost.
  const seen = React.useRef<IStage>(initialValues);
  const draft = React.useRef<string>();
  const drafts = React.useMemo<DraftSink>(() => ({ draft: (text) => void (draft.current = text) }), []);
  const timer = React.useRef<ReturnType<typeof setTimeout>>();
  const send = React.useCallback(
    (values: IStage) => {
      clearTimeout(timer.current);
      latest.current = undefined;
      // Formik keeps both sides of each artifact choice; the stage saves the chosen one only.
      const cdaas = savedSettings(settingsOf(values as DeployYamlStage));
      updateStage({ ...values, cdaas, ...webhookFieldsFor(values as DeployYamlStage, { ...context, pipeline }) });
    },
    [context, pipeline, updateStage],
  );
  const onChange = React.useCallback(
    (values: IStage) => {
      seen.current = values;
      const settings = settingsOf(values as DeployYamlStage);
      if (draft.current === settings.yaml) draft.current = undefined;
      if (settings.source !== 'text' || !checkedInBackground(settings.yaml)) return send(values);
      latest.current = values;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        validateInBackground(settings.yaml, { latestOnly: true }).then(() => latest.current === values && send(values));
      }, SEND_AFTER_PAUSE_MS);
    },
    [send],
  );
  const sendNow = React.useRef(send);
  sendNow.current = send;
  const flush = () => {
    const typed = draft.current;
    if (typed !== undefined) {
      draft.current = undefined;
      const values = latest.current ?? seen.current;
      return sendNow.current({ ...values, cdaas: { ...(values as DeployYamlStage).cdaas, yaml: typed } });
    }
    if (latest.current) sendNow.current(latest.current);
  };
  // Closing the form (another stage picked) must not lose the last keystrokes either.
  React.useEffect(() => () => flush(), []);
  return (
    <div onBlur={flush}>
      <FormikStageConfig
        application={application}
        pipeline={pipeline}
        stage={initialValues}
        onChange={onChange}
        render={(props) => <DeployYamlStageForm {...props} context={context} drafts={drafts} />}
      />
    </div>
  );
}
