import type { DeployYamlResult } from '@cdaas/contract/deployYaml';
import React from 'react';

import { peekYaml } from '../model';
import { validateInBackground } from './validateInBackground';

export interface YamlCheck {
  /** The answer for the text, or while a large text is being checked, the last answer this view had. */
  result?: DeployYamlResult;
  /** Whether `result` belongs to the text asked about. */
  fresh: boolean;
}

/**
 * What a view shows for a deploy.yml text: at once when the text is small (checked as it renders,
 * as before), else from the background check, re-rendering when it answers. Only the newest text
 * is waited for: a view never queues a check per keystroke.
 */
export function useYamlResult(text: string): YamlCheck {
  const now = peekYaml(text);
  const [late, setLate] = React.useState<{ text: string; result: DeployYamlResult }>();
  React.useEffect(() => {
    if (now) return;
    let live = true;
    validateInBackground(text, { latestOnly: true }).then((result) => live && setLate({ text, result }));
    return () => {
      live = false;
    };
  }, [text, !now]);
  if (now) return { result: now, fresh: true };
  if (late?.text === text) return { result: late.result, fresh: true };
  return { result: late?.result, fresh: false };
}
