/**
 * Loads chunks the user is about to need: the stage forms, once the pipeline editor is open, at
 * the first sign that a stage is being added (a press on "Add stage" or on a stage's type picker)
 * or, failing that, when the browser is idle a few seconds after the editor opened. Picking a
 * CD-as-a-Service stage type then shows its form without waiting for its chunks (each form is a
 * chunk plus the chunks it imports: two round trips to Gate, then their evaluation).
 *
 * Not "idle as soon as the editor's state is entered": Deck is often idle then, waiting for the
 * pipeline configs, and the chunks' evaluation landed inside its first render of the editor (the
 * bench measured the editor ready 18.5% after Deck alone, against +7% without the preload).
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

/** How long after the editor opens the preload waits, when no stage is being added, before it waits for idle. */
export const SETTLE_MS = 4000;

/** A press that means a stage is about to be added or retyped: Deck's "Add stage" button, or a ui-select type picker. */
function isAddingStage(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('.ui-select-container')) return true;
  return /^\s*add stage\s*$/i.test(target.closest('button')?.textContent ?? '');
}

/**
 * Runs `run` once: at the first press (pointer, or Enter/Space on a focused control) that adds a
 * stage, else when idle after SETTLE_MS. Listens in the capture phase, so Deck's own handlers
 * (Angular's ng-click, ui-select) cannot stop it from seeing the press.
 */
export function whenAddingStage(doc: Document = document, idle: Schedule = whenIdle): Schedule {
  return (run) => {
    let done = false;
    const events = ['pointerdown', 'keydown'] as const;
    const once = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      events.forEach((type) => doc.removeEventListener(type, onPress, true));
      run();
    };
    const onPress = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Enter' && event.key !== ' ') return;
      if (isAddingStage(event.target)) once();
    };
    events.forEach((type) => doc.addEventListener(type, onPress, true));
    const timer = setTimeout(() => idle(once), SETTLE_MS);
  };
}

/**
 * Runs `preload` (when `schedule` says) the first time a state matching `isState` is entered. A failed preload is
 * forgotten, so the next entry tries again; the form itself reports a chunk that cannot load.
 */
export function preloadOnState(transitions: TransitionHooks, isState: (name: string) => boolean, preload: () => Promise<unknown>, schedule: Schedule = whenAddingStage()): void {
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
