import type { DeployYamlResult } from '@cdaas/contract/deployYaml';
import React from 'react';

import { checkedInBackground, peekYaml } from '../model';
import { validateInBackground } from './validateInBackground';

export interface YamlCheck {
  /** The answer for the text, or while a large text is being checked, the last answer this view had. */
  result?: DeployYamlResult;
  /** The text `result` belongs to. */
  checked: string;
  /** Whether `result` belongs to the text asked about. */
  fresh: boolean;
}

/** A text with its check's answer, as the caller already has it. */
export interface Answered {
  text: string;
  result?: DeployYamlResult;
}

/**
 * What a view shows for a deploy.yml text: at once when the text is small (checked as it renders,
 * as before), else from the background check, re-rendering when it answers. Only the newest text
 * is waited for: a view never queues a check per keystroke, and an answer for an older text never
 * replaces a newer one (the effect of the older text is no longer live when it arrives).
 * `answered`: the answer the caller got for a text, used when it is the text asked about.
 */
export function useYamlResult(text: string, answered?: Answered): YamlCheck {
  const now = peekYaml(text) ?? (answered?.text === text ? answered.result : undefined);
  const [late, setLate] = React.useState<{ text: string; result: DeployYamlResult }>();
  React.useEffect(() => {
    if (now) return;
    let live = true;
    validateInBackground(text, { latestOnly: true }).then((result) => live && setLate({ text, result }));
    return () => {
      live = false;
    };
  }, [text, !now]);
  if (now) return { result: now, checked: text, fresh: true };
  if (late?.text === text) return { result: late.result, checked: text, fresh: true };
  return { result: late?.result, checked: late?.text ?? '', fresh: false };
}

/**
 * Small texts are checked on the main thread (a few ms) once typing pauses this long; large ones
 * go to the worker at once, which drops superseded texts itself, so their problems show about one
 * check after the last keystroke (the target is 200 ms).
 */
export const SMALL_TEXT_PAUSE_MS = 150;

/** `text` once it has not changed for SMALL_TEXT_PAUSE_MS, or at once for a large text. */
export function useTextToCheck(text: string): [string, boolean] {
  const immediate = checkedInBackground(text);
  const [settled, setSettled] = React.useState(text);
  React.useEffect(() => {
    if (immediate || settled === text) return;
    const t = setTimeout(() => setSettled(text), SMALL_TEXT_PAUSE_MS);
    return () => clearTimeout(t);
  }, [text, immediate]);
  if (immediate) return [text, false];
  return [settled, settled !== text];
}

/**
 * The previous value while `key` is unchanged: the answer for a new text often says the same
 * (a comment typed), and the same object lets the memoised problem list, editor markers and
 * summary skip their work for a 5,000-line file.
 */
export function useStable<T>(value: T, key: string): T {
  const kept = React.useRef<{ key: string; value: T }>();
  if (!kept.current || kept.current.key !== key) kept.current = { key, value };
  return kept.current.value;
}
