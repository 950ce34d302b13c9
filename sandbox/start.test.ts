// `npm start` as a person runs it, stopped the way a terminal stops it: Ctrl-C signals the whole
// process group (npm, sh, tsx and the sandbox), and npm and tsx pass their copy on. The sandbox
// must take the copies for one request: cancel the running deployment (the emulator sees the
// cancel), then exit 0. Regression: it took a copy for a second Ctrl-C and said "Stopping now."
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_APP, demoCdaasPipeline } from './gate/fixtures';
import { signalHandler, SIGNAL_COPY_WINDOW_MS } from './start';

const REPO = fileURLToPath(new URL('..', import.meta.url));

describe('signalHandler', () => {
  it('takes copies of one signal for one stop, and a later signal for a forced stop', () => {
    let t = 0;
    const calls: string[] = [];
    const onSignal = signalHandler({ stop: (s) => calls.push(`stop ${s}`), force: (s) => calls.push(`force ${s}`) }, () => t);
    onSignal('SIGINT');
    t += 5;
    onSignal('SIGINT'); // npm's copy
    onSignal('SIGINT'); // tsx's copy
    expect(calls).toEqual(['stop SIGINT']);
    t += SIGNAL_COPY_WINDOW_MS;
    onSignal('SIGINT');
    expect(calls).toEqual(['stop SIGINT', 'force SIGINT']);
  });

  it('SIGTERM stops as SIGINT does', () => {
    const calls: string[] = [];
    signalHandler({ stop: (s) => calls.push(`stop ${s}`), force: (s) => calls.push(`force ${s}`) }, () => 0)('SIGTERM');
    expect(calls).toEqual(['stop SIGTERM']);
  });
});

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let dir: string;
  let out = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
  });
  afterAll(async () => {
    // Only if the test failed before the sandbox exited: end the group it started.
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const waitFor = (re: RegExp, what: string) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(out);
        if (m) {
          child!.stdout!.off('data', check);
          resolve(m);
        }
      };
      child!.stdout!.on('data', check);
      child!.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before ${what}:\n${out}`)));
      check();
    });

  it('one SIGINT to the process group cancels the running deployment in the emulator and stops cleanly', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_PIPELINE_FILE: join(dir, 'pipelines.json'), SANDBOX_STEP_MS: '200' };
    for (const v of ['DECK', 'GATE', 'BRIDGE_READ', 'BRIDGE_DEPLOY', 'EMULATOR_AUTH', 'EMULATOR_API']) env[`SANDBOX_${v}_PORT`] = '0';
    // detached: its own process group, as a terminal gives `npm start`.
    child = spawn('npm', ['start'], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child!.once('exit', (code, signal) => r({ code, signal })));

    await waitFor(/Press Ctrl-C to stop everything/, 'it said it was running');
    const gate = /Gate stand-in\s+(http:\/\/\S+)/.exec(out)![1];
    const bridge = /bridge deploy listener \(Orca's webhook calls\)\s+(http:\/\/\S+)/.exec(out)![1];
    // One URL form in the output, and no warning that does not apply to the sandbox.
    expect(out).not.toMatch(/localhost/);
    expect(out).not.toMatch(/publicBaseUrl/);
    expect(out).toMatch(/Time scale: the emulator runs each deploy step and each timed pause in 0\.2 s/);
    expect(out).toContain(`Pipeline configs are kept in ${join(dir, 'pipelines.json')}`);
    // The start-up demo run, said in one line.
    expect(out.match(/^demo run: "Sandbox demo run" started as execution \S+ \(manual trigger "sandbox start" by pat@example\.com\).*--no-demo-run/gm)).toHaveLength(1);

    const name = 'Signal test';
    const pipeline = demoCdaasPipeline(bridge, name, 'pipeline-signal-test');
    expect((await fetch(`${gate}/pipelines`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pipeline) })).status).toBe(200);
    const started = await fetch(`${gate}/pipelines/v2/${DEMO_APP}/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'manual', user: 'pat@example.com' }),
    });
    expect(started.status).toBe(202);
    // The demo strategy pauses until approved: the deployment is running when the signal comes.
    const [, pipelineId] = await waitFor(/waits for approval: CDaaS pipeline (\S+): approve or roll it back/, 'the deployment waited for approval');

    process.kill(-child.pid!, 'SIGINT');
    const { code, signal } = await exited;
    // npm re-raises the signal on itself once its script has exited (so a shell sees "interrupted"):
    // its own end is the SIGINT, the sandbox's is the clean stop printed before it.
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    expect(out).toContain(`emulator: CDaaS pipeline ${pipelineId} got its cancel`);
    expect(out).toMatch(/Deploy to staging ended CANCELED/);
    expect(out).toMatch(/Stopped\.\s*$/);
    expect(out).not.toMatch(/stopping now|SIGINT again/i);
    expect(out.match(/SIGINT: cancelling running deployments/g)).toHaveLength(1);
  }, 180_000);
});
