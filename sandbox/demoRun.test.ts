import { DEMO_RUN_PIPELINE_ID, demoRunPipeline, demoRunWanted, withDemoRunPipeline } from './demoRun';
import { defaultFixtures } from './gate/fixtures';

describe('the start-up demo run', () => {
  it('is on unless --no-demo-run or SANDBOX_DEMO_RUN=0/false/no/off says otherwise', () => {
    expect(demoRunWanted([], {})).toBe(true);
    expect(demoRunWanted([], { SANDBOX_DEMO_RUN: '1' })).toBe(true);
    expect(demoRunWanted(['--no-demo-run'], {})).toBe(false);
    for (const v of ['0', 'false', 'No', ' off ']) expect(demoRunWanted([], { SANDBOX_DEMO_RUN: v })).toBe(false);
  });

  it("adds its pipeline once, replacing one kept from an earlier start with this start's bridge URL", () => {
    const configs = defaultFixtures().pipelineConfigs;
    const first = withDemoRunPipeline(configs, 'http://127.0.0.1:7002');
    const again = withDemoRunPipeline(first, 'http://127.0.0.1:17002');
    expect(again.filter((p) => p.id === DEMO_RUN_PIPELINE_ID)).toHaveLength(1);
    expect(again).toHaveLength(configs.length + 1);
    expect(JSON.stringify(again.find((p) => p.id === DEMO_RUN_PIPELINE_ID))).toContain('http://127.0.0.1:17002/v1/executions/');
    expect(JSON.stringify(again)).not.toContain('http://127.0.0.1:7002/');
  });

  it("regression: deploys its own CDaaS application, so a user's run of the demo deployment is not refused (409) while it waits for approval", () => {
    const text = JSON.stringify(demoRunPipeline('http://127.0.0.1:7002'));
    expect(text).toContain('"application":"potato-facts-sandbox-demo"');
    expect(text).not.toContain('"application":"potato-facts"');
  });
});
