/**
 * What a stage form needs beyond its own values, read once per opened stage the same way by both
 * stages: the bridge URL from Deck's settings (saved into every webhook URL) and the application.
 */
import React from 'react';

import { bridgeUrl, cdaasSettings } from '../../settings';

export interface StageContext {
  /** The bridge's deploy listener, as Orca reaches it (Deck setting `cdaas.bridgeUrl`). */
  bridgeUrl: string;
  /** The Spinnaker application that owns the pipeline. */
  application: string;
  /** False when the Orca running these stages does not apply its default webhook URL rules (the sandbox). */
  orcaUrlRulesApply: boolean;
}

export function useStageContext(application: string): StageContext {
  return React.useMemo(
    () => ({ bridgeUrl: bridgeUrl(), application, orcaUrlRulesApply: cdaasSettings().orcaUrlRulesApply !== false }),
    [application],
  );
}
