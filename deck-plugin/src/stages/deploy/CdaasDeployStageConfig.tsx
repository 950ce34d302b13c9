/** The stage config Deck renders: FormikStageConfig around the fields, saving through updateStage. */
import type { IStage, IStageConfigProps } from '@spinnaker/core';
import { FormikStageConfig } from '@spinnaker/core';
import React from 'react';

import { useStageContext } from '../common/stageContext';
import { CdaasDeployStageForm } from './CdaasDeployStageForm';
import { savedDeployFields } from './deployment';
import { validateCdaasDeployStage } from './validate';

export function CdaasDeployStageConfig(props: IStageConfigProps) {
  const { application, pipeline, stage, updateStage } = props;
  const context = useStageContext(application.name);

  // Formik's values are the stage itself. Every change saves the form values and the Webhook
  // fields recomputed from them, so the saved stage never carries a stale payload.
  const onChange = (values: IStage) => updateStage({ ...values, ...savedDeployFields(values, context) });

  return (
    <FormikStageConfig
      application={application}
      pipeline={pipeline}
      stage={stage}
      validate={validateCdaasDeployStage}
      onChange={onChange}
      render={(injected) => <CdaasDeployStageForm {...injected} context={context} />}
    />
  );
}
