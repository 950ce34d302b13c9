import type { IDeckPlugin } from '@spinnaker/core';

import { cdaasDeployStage } from './stages/deploy/deployStage';
import { deployHelp } from './stages/deploy/help';
import { cdaasDeployYamlStage } from './stages/deployYaml/deployYamlStage';
import { deployYamlHelp } from './stages/deployYaml/help';

export const plugin: IDeckPlugin = {
  stages: [cdaasDeployStage, cdaasDeployYamlStage],
  help: { ...deployHelp, ...deployYamlHelp },
};
