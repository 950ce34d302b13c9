/** The stage config Deck renders: FormikStageConfig around the fields, saving through updateStage. */
import type { IStage, IStageConfigProps } from '@spinnaker/core';
import { FormikStageConfig } from '@spinnaker/core';
import { isEqual } from 'lodash';
import React from 'react';

import { useStageContext } from '../common/stageContext';
import { CdaasDeployStageForm } from './CdaasDeployStageForm';
import { savedDeployFields } from './deployment';
import { validateOncePerTask } from './validate';

export function CdaasDeployStageConfig(props: IStageConfigProps) {
  const { application, pipeline, stage, updateStage } = props;
  const context = useStageContext(application.name);

  // Formik's values are the stage itself. Every change saves the form values and the Webhook
  // fields recomputed from them, so the saved stage never carries a stale payload.
  const onChange = (values: IStage) => updateStage({ ...values, ...savedDeployFields(values, context) });

  // A stage added and saved without any edit must still carry what Orca needs. Formik starts from
  // the completed stage, which is saved once on mount: completing it from an effect through
  // Formik's setValues rendered the whole form a second time before the first frame.
  const [initial] = React.useState(() => {
    const completed: IStage = { ...stage, ...savedDeployFields(stage, context) };
    return isEqual(completed, stage) ? stage : completed;
  });
  React.useEffect(() => {
    if (initial !== stage) onChange(initial);
  }, []);
  const [validate] = React.useState(validateOncePerTask);

  return (
    <FormikStageConfig
      application={application}
      pipeline={pipeline}
      stage={initial}
      validate={validate}
      onChange={onChange}
      render={(injected) => <CdaasDeployStageForm {...injected} context={context} />}
    />
  );
}
