import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEMO_APP, DEMO_PIPELINE_ID, defaultFixtures } from './fixtures';
import { filePipelineStore } from './pipelineStore';
import { startGate } from './server';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-pipelines-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Regression: pipeline edits made in Deck vanished when the sandbox restarted.
test('a pipeline saved through Gate is in the file, and a Gate started from that file serves it', async () => {
  const store = filePipelineStore(join(dir, 'nested', 'pipelines.json'));
  expect(await store.load()).toBeUndefined();
  const first = await startGate({ pluginDir: '/nonexistent', fixtures: defaultFixtures(), onPipelinesChanged: (c) => store.save(c) });
  try {
    const pipeline = { ...defaultFixtures().pipelineConfigs[0], stages: [{ refId: '1', type: 'wait', name: 'Wait', requisiteStageRefIds: [], waitTime: 30 }] };
    expect((await fetch(`${first.url}/pipelines`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pipeline) })).status).toBe(200);
  } finally {
    await first.close();
  }

  const loaded = await store.load();
  expect(loaded?.find((p) => p.id === DEMO_PIPELINE_ID)?.stages).toEqual([{ refId: '1', type: 'wait', name: 'Wait', requisiteStageRefIds: [], waitTime: 30 }]);
  const second = await startGate({ pluginDir: '/nonexistent', fixtures: { ...defaultFixtures(), pipelineConfigs: loaded! } });
  try {
    const configs = (await (await fetch(`${second.url}/applications/${DEMO_APP}/pipelineConfigs`)).json()) as Array<{ id: string; stages: Array<{ type: string }> }>;
    expect(configs.find((c) => c.id === DEMO_PIPELINE_ID)?.stages.map((s) => s.type)).toEqual(['wait']);
  } finally {
    await second.close();
  }
});

test('a deleted pipeline leaves the file too', async () => {
  const store = filePipelineStore(join(dir, 'pipelines.json'));
  const gate = await startGate({ pluginDir: '/nonexistent', fixtures: defaultFixtures(), onPipelinesChanged: (c) => store.save(c) });
  try {
    const res = await fetch(`${gate.url}/pipelines/${DEMO_APP}/${encodeURIComponent('Deploy potato-facts')}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
  } finally {
    await gate.close();
  }
  expect(await store.load()).toEqual([]);
});

test('a file that is not a list of pipeline configs is refused with its path and left as it was', async () => {
  const file = join(dir, 'pipelines.json');
  await writeFile(file, '{"id": 1');
  await expect(filePipelineStore(file).load()).rejects.toThrow(`${file}: not JSON`);
  await writeFile(file, JSON.stringify([{ id: 'x', application: DEMO_APP }]));
  await expect(filePipelineStore(file).load()).rejects.toThrow(`${file}: entry [0] is not a pipeline config`);
  expect(await readFile(file, 'utf8')).toBe(JSON.stringify([{ id: 'x', application: DEMO_APP }]));
});
