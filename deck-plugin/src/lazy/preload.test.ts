import { isPipelineEditor, preloadOnState, SETTLE_MS, type TransitionHooks, whenAddingStage } from './preload';

/** UI-Router's onSuccess, reduced to what preloadOnState registers: entering a state runs the hooks whose criteria match. */
function fakeRouter() {
  const hooks: Array<{ to(state: { name?: string }): boolean; run(): void }> = [];
  const transitions: TransitionHooks = {
    onSuccess: (criteria, callback) => hooks.push({ to: criteria.to, run: callback }),
  };
  const enter = (name: string) => hooks.filter((h) => h.to({ name })).forEach((h) => h.run());
  return { transitions, enter };
}

describe('preloadOnState', () => {
  it('loads once, when idle, the first time the pipeline editor is entered, and not before', async () => {
    const { transitions, enter } = fakeRouter();
    const idle: Array<() => void> = [];
    const preload = vi.fn(() => Promise.resolve());
    preloadOnState(transitions, isPipelineEditor, preload, (run) => idle.push(run));

    enter('home.applications.application.pipelines.executions');
    expect(idle).toHaveLength(0);
    enter('home.applications.application.pipelines.pipelineConfig');
    expect(preload).not.toHaveBeenCalled();
    idle.splice(0).forEach((run) => run());
    expect(preload).toHaveBeenCalledTimes(1);
    enter('home.project.application.pipelines.pipelineConfig');
    expect(idle).toHaveLength(0);
  });

  it('tries again on the next entry when the chunks could not be loaded', async () => {
    const { transitions, enter } = fakeRouter();
    const preload = vi.fn().mockRejectedValueOnce(new Error('404')).mockResolvedValue(undefined);
    preloadOnState(transitions, isPipelineEditor, preload, (run) => run());
    enter('home.applications.application.pipelines.pipelineConfig');
    await Promise.resolve();
    await Promise.resolve();
    enter('home.applications.application.pipelines.pipelineConfig');
    expect(preload).toHaveBeenCalledTimes(2);
  });

  it('matches the editor states only', () => {
    expect(isPipelineEditor('home.applications.application.pipelines.pipelineConfig')).toBe(true);
    expect(isPipelineEditor('home.applications.application.pipelines.pipelineConfigs')).toBe(false);
    expect(isPipelineEditor('home.applications.application.pipelines.executions')).toBe(false);
  });
});

// The bench saw the editor ready 18.5% after Deck alone when the chunks loaded at the first idle
// moment after entering the editor: Deck was idle waiting for its pipeline configs, and the chunks'
// evaluation landed in its first render. The preload now waits for a stage being added.
describe('whenAddingStage', () => {
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  function editor() {
    document.body.innerHTML = `
      <button type="button" class="btn">Save Changes</button>
      <button type="button" class="btn"><span class="glyphicon glyphicon-plus-sign"></span> Add stage</button>
      <div class="ui-select-container"><a class="select2-choice"><span>Select...</span></a></div>`;
    const byText = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === text)!;
    return { save: byText('Save Changes'), addStage: byText('Add stage'), typePicker: document.querySelector('.select2-choice')! };
  }

  it('runs at the press on "Add stage" (its icon included), once, and not at other presses', () => {
    vi.useFakeTimers();
    const { save, addStage } = editor();
    const run = vi.fn();
    whenAddingStage(document, () => undefined)(run);
    save.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(run).not.toHaveBeenCalled();
    addStage.querySelector('span')!.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(run).toHaveBeenCalledTimes(1);
    addStage.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    vi.advanceTimersByTime(SETTLE_MS * 2);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("runs when a stage's type picker is opened, or Enter is pressed on Add stage", () => {
    const { typePicker, addStage } = editor();
    const byPicker = vi.fn();
    whenAddingStage(document, () => undefined)(byPicker);
    typePicker.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(byPicker).toHaveBeenCalledTimes(1);

    const byKey = vi.fn();
    whenAddingStage(document, () => undefined)(byKey);
    addStage.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    expect(byKey).not.toHaveBeenCalled();
    addStage.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(byKey).toHaveBeenCalledTimes(1);
  });

  it('without a stage being added, runs when idle after the editor has settled, not before', () => {
    vi.useFakeTimers();
    editor();
    const idle: Array<() => void> = [];
    const run = vi.fn();
    whenAddingStage(document, (next) => idle.push(next))(run);
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(idle).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(run).not.toHaveBeenCalled();
    idle.splice(0).forEach((next) => next());
    expect(run).toHaveBeenCalledTimes(1);
  });
});
