/**
 * A cross-process lock (a directory under build/.locks: mkdir is atomic), so test files that start
 * sandboxes in parallel do not build the plugin or the shell over each other.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { REPO_ROOT } from './plugin';

const LOCK_ROOT = join(REPO_ROOT, 'build/.locks');
/** A lock older than this was left by a killed process. */
const STALE_MS = 120_000;

export async function withLock<T>(name: string, fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  await mkdir(LOCK_ROOT, { recursive: true });
  const dir = join(LOCK_ROOT, name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(dir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(dir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_MS) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the ${name} lock (${dir}); remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
