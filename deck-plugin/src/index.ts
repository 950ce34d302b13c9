import type { IDeckPlugin } from '@spinnaker/core';
import { Registry } from '@spinnaker/core';

import { preloadInPipelineEditor } from './lazy';
import { cdaasTaskNames } from './stages/common/executionDetails/taskNames';
import { CDAAS_DEPLOY_STAGE_KEY, cdaasDeployStage, preloadDeployStage } from './stages/deploy/deployStage';
import { deployHelp } from './stages/deploy/help';
import { CDAAS_DEPLOY_YAML_STAGE_KEY, cdaasDeployYamlStage, preloadDeployYamlStage } from './stages/deployYaml/deployYamlStage';
import { deployYamlHelp } from './stages/deployYaml/help';
import { initializeViews } from './views/register';
import { cdaasSearchTypes } from './views/search/searchTypes';

export const plugin: IDeckPlugin = {
  stages: [cdaasDeployStage, cdaasDeployYamlStage],
  help: { ...deployHelp, ...deployYamlHelp },
  search: cdaasSearchTypes(),
  initialize() {
    // Task Status in the user's words rather than Orca's Webhook stage's (see taskNames.ts).
    Registry.pipeline.registerTransformer(cdaasTaskNames([CDAAS_DEPLOY_STAGE_KEY, CDAAS_DEPLOY_YAML_STAGE_KEY]));
    // The infrastructure views: app tab, agents pages, search URL builders (views/register.ts).
    initializeViews();
    // The stage forms' chunks load, in parallel and when Deck is idle, once the pipeline editor is
    // open: picking a CD-as-a-Service stage then shows its form without waiting for Gate.
    preloadInPipelineEditor(() => Promise.all([preloadDeployStage(), preloadDeployYamlStage()]));
  },
};
