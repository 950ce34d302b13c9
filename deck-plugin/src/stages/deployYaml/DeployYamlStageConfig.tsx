import { FormikStageConfig } from '@spinnaker/core';
import type { IStage, IStageConfigProps } from '@spinnaker/core';
import React from 'react';

import { DeployYamlStageForm } from './DeployYamlStageForm';
import { validateInBackground } from './background/validateInBackground';
import { peekYaml, settingsOf, webhookFieldsFor, type DeployYamlStage } from './model';

/**
 * Formik holds what the user edits (`cdaas`); every change goes to Deck with the Webhook stage
 * fields recomputed from it, so the saved JSON always matches the text. Nothing is written into
 * the stage prop directly: Deck applies the changes through updateStage.
 */
export function DeployYamlStageConfig({ application, pipeline, stage, updateStage }: IStageConfigProps) {
  // Computed once per mounted stage, like Deck's own Formik stages: Formik owns the values after that.
  const initialValues = React.useMemo<DeployYamlStage>(() => ({ ...stage, cdaas: settingsOf(stage as DeployYamlStage) }), []);
  // The Webhook fields last sent, and the newest values: a large deploy.yml is checked in the
  // background, and its fields follow as soon as the check answers (only the newest text counts).
  const sent = React.useRef<Partial<IStage>>({});
  const latest = React.useRef<IStage>();
  const onChange = React.useCallback(
    (values: IStage) => {
      latest.current = values;
      const send = () => {
        sent.current = webhookFieldsFor(values as DeployYamlStage, { application: application.name, pipeline });
        updateStage({ ...values, ...sent.current });
      };
      const yaml = settingsOf(values as DeployYamlStage).yaml;
      if (settingsOf(values as DeployYamlStage).source !== 'text' || peekYaml(yaml)) return send();
      // Meanwhile Deck keeps what was typed, with the fields of the last checked text.
      updateStage({ ...values, ...sent.current });
      validateInBackground(yaml, { latestOnly: true }).then(() => latest.current === values && send());
    },
    [application.name, pipeline, updateStage],
  );
  return (
    <FormikStageConfig
      application={application}
      pipeline={pipeline}
      stage={initialValues}
      onChange={onChange}
      render={(props) => <DeployYamlStageForm {...props} />}
    />
  );
}
