// `npm start` on fixed ports: a taken port is named with the variable that moves it, before
// anything starts.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { join } from 'node:path';

import { assertPortsFree, sendFile } from './http';
import { REPO_ROOT } from './plugin';

test('a taken port fails with its name and the env variable to set; free ports and port 0 pass', async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as AddressInfo).port;
  try {
    await expect(
      assertPortsFree([{ port, what: 'Gate stand-in', envVar: 'SANDBOX_GATE_PORT' }, { port: 0, what: 'Deck shell', envVar: 'SANDBOX_DECK_PORT' }], '127.0.0.1'),
    ).rejects.toThrow(`Gate stand-in: port ${port} on 127.0.0.1 is already in use; set SANDBOX_GATE_PORT to another port`);
  } finally {
    await new Promise<void>((r) => busy.close(() => r()));
  }
  await expect(assertPortsFree([{ port, what: 'Gate stand-in', envVar: 'SANDBOX_GATE_PORT' }], '127.0.0.1')).resolves.toBeUndefined();
});

test('static files: nothing outside the served folder is readable', async () => {
  const written: number[] = [];
  const res = { writeHead: (status: number) => written.push(status) } as unknown as Parameters<typeof sendFile>[0];
  expect(await sendFile(res, join(REPO_ROOT, 'sandbox'), '../package.json')).toBe(false);
  expect(await sendFile(res, join(REPO_ROOT, 'sandbox'), '%2e%2e/package.json')).toBe(false);
  expect(written).toEqual([]);
});
