import { isPipelineEditor, preloadOnState, type TransitionHooks } from './preload';

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
