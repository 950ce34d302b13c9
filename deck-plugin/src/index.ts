import type { IDeckPlugin } from '@spinnaker/core';
import { Registry } from '@spinnaker/core';

import { cdaasTaskNames } from './stages/common/executionDetails/taskNames';
import { CDAAS_DEPLOY_STAGE_KEY, cdaasDeployStage } from './stages/deploy/deployStage';
import { deployHelp } from './stages/deploy/help';
import { CDAAS_DEPLOY_YAML_STAGE_KEY, cdaasDeployYamlStage } from './stages/deployYaml/deployYamlStage';
import { deployYamlHelp } from './stages/deployYaml/help';

export const plugin: IDeckPlugin = {
  stages: [cdaasDeployStage, cdaasDeployYamlStage],
  help: { ...deployHelp, ...deployYamlHelp },
  initialize() {
    // Task Status in the user's words rather than Orca's Webhook stage's (see taskNames.ts).
    Registry.pipeline.registerTransformer(cdaasTaskNames([CDAAS_DEPLOY_STAGE_KEY, CDAAS_DEPLOY_YAML_STAGE_KEY]));
  },
};
