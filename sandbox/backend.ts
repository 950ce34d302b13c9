/**
 * Starts the CD-as-a-Service emulator and the bridge configured for it, for the sandbox. The bridge
 * gets its settings the way an admin gives them (environment variables through `loadConfig`), with
 * the emulator's issuer, API and one of its clients.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { PipelineRunner } from './gate/server';
import { REPO_ROOT } from './lib/plugin';

export interface Backend {
  bridgeReadUrl: string;
  bridgeDeployUrl: string;
  emulatorUrl: string;
  runner?: PipelineRunner;
  close(): Promise<void>;
}

export interface BackendOptions {
  host: string;
  ports: { bridgeRead: number; bridgeDeploy: number; emulator: number };
  log: (line: string) => void;
}

const BRIDGE_ENTRY = join(REPO_ROOT, 'bridge/src/index.ts');
const EMULATOR_ENTRY = join(REPO_ROOT, 'bridge/emulator/index.ts');

/** The bridge and emulator, or why they cannot run yet. */
export async function startBackend(_opts: BackendOptions): Promise<Backend | { missing: string }> {
  const absent = [BRIDGE_ENTRY, EMULATOR_ENTRY].filter((f) => !existsSync(f)).map((f) => f.slice(REPO_ROOT.length + 1));
  if (absent.length) return { missing: `${absent.join(' and ')} not in this checkout yet` };
  return { missing: 'bridge wiring pending' };
}
