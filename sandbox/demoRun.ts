/**
 * A newcomer's first look: right after `npm start` the application's CD-as-a-Service tab and the
 * replica sets' traffic join show only deployments that went through the bridge, so the sandbox
 * starts one real run at start-up. It is started exactly as a user's run is: a pipeline config
 * Gate serves, triggered through Gate's own trigger endpoint (what Deck's "Run" calls), run by the
 * Orca stand-in against the bridge's deploy listener. Deck lists it as a normal execution.
 */
import { SANDBOX_USERS } from './fiat/server';
import { DEMO_APP, demoCdaasPipeline, demoDeployment, type PipelineConfig } from './gate/fixtures';

export const DEMO_RUN_PIPELINE_ID = '6c1b0a3e-3f0e-4a55-9b2f-00000000de30';
export const DEMO_RUN_PIPELINE_NAME = 'Sandbox demo run';
/**
 * The demo run's CDaaS application. Not the demo's `potato-facts`: CD-as-a-Service rejects a second
 * deployment of an application while one is in progress (ifDeploymentInProgress: reject), and
 * this one waits for approval, so a user's first run of the demo deployment would get a 409.
 */
export const DEMO_RUN_CDAAS_APPLICATION = 'potato-facts-sandbox-demo';
/** What the execution's trigger says: a manual start by the sandbox's user, for the sandbox start. */
export const DEMO_RUN_TRIGGER = { type: 'manual', user: SANDBOX_USERS.allowed, parameters: { startedBy: 'sandbox start' } } as const;

/** The demo pipeline (a canary that pauses until approved), pointed at this start's bridge. */
export function demoRunPipeline(bridgeDeployUrl: string): PipelineConfig {
  return {
    ...demoCdaasPipeline(bridgeDeployUrl, DEMO_RUN_PIPELINE_NAME, DEMO_RUN_PIPELINE_ID, { ...demoDeployment(), application: DEMO_RUN_CDAAS_APPLICATION }),
    description: 'Started once by the sandbox at start-up (npm start -- --no-demo-run to skip).',
  };
}

/**
 * Puts the demo pipeline among the configs, replacing one kept from an earlier start (its bridge
 * URL may differ), so the configs Gate serves always hold the one the trigger runs.
 */
export function withDemoRunPipeline(configs: PipelineConfig[], bridgeDeployUrl: string): PipelineConfig[] {
  return [...configs.filter((p) => p.id !== DEMO_RUN_PIPELINE_ID), demoRunPipeline(bridgeDeployUrl)];
}

/** Triggers the demo pipeline through Gate, as Deck's "Run" does; the execution id Gate gives. */
export async function triggerDemoRun(gateUrl: string): Promise<string> {
  const res = await fetch(`${gateUrl}/pipelines/v2/${DEMO_APP}/${encodeURIComponent(DEMO_RUN_PIPELINE_NAME)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_RUN_TRIGGER),
  });
  const body = (await res.json().catch(() => ({}))) as { ref?: string; message?: string };
  if (res.status !== 202 || !body.ref) throw new Error(`Gate did not start the demo run (HTTP ${res.status}${body.message ? `: ${body.message}` : ''})`);
  return body.ref.replace(/^\/pipelines\//, '');
}

/** `--no-demo-run` on the command line or SANDBOX_DEMO_RUN=0 (or false, no) skips the demo run. */
export function demoRunWanted(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (argv.includes('--no-demo-run')) return false;
  const v = env.SANDBOX_DEMO_RUN?.trim().toLowerCase();
  return !(v === '0' || v === 'false' || v === 'no' || v === 'off');
}
