/**
 * The image's way to run preflight: `node main.cjs preflight` from the esbuild bundle alone (no
 * node_modules beside it), against the emulator. That the image's build stage can bundle it at
 * all (plugin-manifest copied in, nothing undeclared) is dockerBuild.test.ts's check.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import * as v from 'valibot';

import { preflightAnswerSchema } from '@cdaas/contract/preflight';
import { type Emulator, startEmulator } from '../emulator/index';
import { bridgeEnv, isolatedBundle } from './harness';

let emu: Emulator;
let isolated: string;
beforeAll(async () => {
  isolated = isolatedBundle('bridge-preflight-');
  emu = await startEmulator({ agents: [] });
}, 120_000);
afterAll(async () => emu?.close());

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(isolated, 'main.cjs'), 'preflight', ...args], { cwd: isolated, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('node main.cjs preflight (the image)', () => {
  it('runs the checks from the bundle alone: JSON out, exit 1 for no connected agent, no secret printed', async () => {
    const r = await run(['--json', '--only', 'token,agents'], bridgeEnv(emu));
    expect(r.code).toBe(1);
    const answer = v.parse(preflightAnswerSchema, JSON.parse(r.stdout));
    const byId = Object.fromEntries(answer.checks.map((c) => [c.id, c]));
    expect(byId['token:exchange'].state).toBe('pass');
    expect(byId['agents:connected']).toMatchObject({ state: 'fail', fix: expect.stringMatching(/^install the Remote Network Agent/) });
    expect(r.stdout + r.stderr).not.toContain(emu.clients[0].clientSecret);
  });

  it('skips the Spinnaker check with the reason when no checkout names the plugin, exit 2 on bad usage', async () => {
    const r = await run(['--only', 'spinnaker', '--spinnaker-config', 'gate-local.yml'], bridgeEnv(emu));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SKIP +spinnaker:config +not checked: the plugin's identity is unknown here/m);
    expect((await run(['--only', 'everything'], bridgeEnv(emu))).code).toBe(2);
  });
});
