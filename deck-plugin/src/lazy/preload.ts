/**
 * Loads chunks the user is about to need while Deck is idle: the stage forms once the pipeline
 * editor is open, so picking a CD-as-a-Service stage type shows its form without waiting for its
 * chunks (each form is a chunk plus the chunks it imports: two round trips to Gate, then their
 * evaluation). Deck's start-up pays nothing: nothing loads before the editor's state is entered,
 * and then only when the browser is idle.
 */

/** The part of UI-Router's TransitionService this uses (Deck's `$uiRouter.transitionService`). */
export interface TransitionHooks {
  onSuccess(criteria: { to(state: { name?: string }): boolean }, callback: () => void): unknown;
}

type Schedule = (run: () => void) => void;

/** When the browser has nothing else to do (soon after at the latest), else shortly. */
export const whenIdle: Schedule = (run) => {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number }).requestIdleCallback;
  if (idle) idle(run, { timeout: 2000 });
  else setTimeout(run, 200);
};

/**
 * Runs `preload` (idle) the first time a state matching `isState` is entered. A failed preload is
 * forgotten, so the next entry tries again; the form itself reports a chunk that cannot load.
 */
export function preloadOnState(transitions: TransitionHooks, isState: (name: string) => boolean, preload: () => Promise<unknown>, schedule: Schedule = whenIdle): void {
  let started = false;
  transitions.onSuccess({ to: (state) => isState(state.name ?? '') }, () => {
    if (started) return;
    started = true;
    schedule(() => {
      preload().catch(() => {
        started = false;
      });
    });
  });
}

/** Deck's pipeline editor: `home.applications.application.pipelines.pipelineConfig` (and the project view's). */
export const isPipelineEditor = (name: string): boolean => /(^|\.)pipelineConfig$/.test(name);

interface Injector {
  get(name: string): unknown;
}

/** From `initialize`: preloads when Deck's pipeline editor opens, or (outside Deck) does nothing. */
export function preloadInPipelineEditor(preload: () => Promise<unknown>): void {
  // Deck keeps its Angular injector on window.spinnaker (utils/consoleDebug.ts); its `$uiRouter` is UI-Router.
  const injector = (globalThis as { spinnaker?: { $injector?: Injector } }).spinnaker?.$injector;
  let router: { transitionService?: TransitionHooks } | undefined;
  try {
    router = injector?.get('$uiRouter') as typeof router;
  } catch {
    router = undefined;
  }
  if (router?.transitionService) preloadOnState(router.transitionService, isPipelineEditor, preload);
}
