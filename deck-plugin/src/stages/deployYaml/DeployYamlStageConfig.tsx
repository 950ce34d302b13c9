import { FormikStageConfig } from '@spinnaker/core';
import type { IStage, IStageConfigProps } from '@spinnaker/core';
import React from 'react';

import { useStageContext } from '../common/stageContext';
import { DeployYamlStageForm } from './DeployYamlStageForm';
import { settingsOf, webhookFieldsFor, type DeployYamlStage } from './model';

/**
 * Formik holds what the user edits (`cdaas`); every change goes to Deck with the Webhook stage
 * fields recomputed from it, so the saved JSON always matches the text. Nothing is written into
 * the stage prop directly: Deck applies the changes through updateStage.
 */
export function DeployYamlStageConfig({ application, pipeline, stage, updateStage }: IStageConfigProps) {
  const context = useStageContext(application.name);
  // Computed once per mounted stage, like Deck's own Formik stages: Formik owns the values after that.
  const initialValues = React.useMemo<DeployYamlStage>(() => ({ ...stage, cdaas: settingsOf(stage as DeployYamlStage) }), []);
  const onChange = React.useCallback(
    (values: IStage) => updateStage({ ...values, ...webhookFieldsFor(values as DeployYamlStage, { ...context, pipeline }) }),
    [context, pipeline, updateStage],
  );
  return (
    <FormikStageConfig
      application={application}
      pipeline={pipeline}
      stage={initialValues}
      onChange={onChange}
      render={(props) => <DeployYamlStageForm {...props} context={context} />}
    />
  );
}
