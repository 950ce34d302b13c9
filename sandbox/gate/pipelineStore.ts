/**
 * The sandbox's Front50: pipeline configs kept in one local JSON file, so edits made in Deck survive
 * a restart of `npm start`. A file that cannot be read as a list of pipeline configs is refused
 * with its path and the reason (and left alone), never silently replaced.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { PipelineConfig } from './fixtures';

export interface PipelineStore {
  /** Where the configs live (said in the start output). */
  file: string;
  /** The saved configs, or undefined when the file does not exist yet. */
  load(): Promise<PipelineConfig[] | undefined>;
  save(configs: PipelineConfig[]): Promise<void>;
}

function isPipelineConfig(x: unknown): x is PipelineConfig {
  const p = x as PipelineConfig;
  return typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.application === 'string' && typeof p.name === 'string' && Array.isArray(p.stages);
}

export function filePipelineStore(file: string): PipelineStore {
  // Saves are chained so two quick saves never interleave their writes.
  let last: Promise<void> = Promise.resolve();
  return {
    file,
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new Error(`${file}: not JSON (${err instanceof Error ? err.message : String(err)}); fix or delete it to start from the demo pipeline`);
      }
      if (!Array.isArray(parsed)) throw new Error(`${file}: expected a list of pipeline configs; fix or delete it`);
      const bad = parsed.findIndex((p) => !isPipelineConfig(p));
      if (bad >= 0) throw new Error(`${file}: entry [${bad}] is not a pipeline config (needs id, application, name, stages); fix or delete it`);
      return parsed as PipelineConfig[];
    },
    save(configs) {
      const text = JSON.stringify(configs, null, 2) + '\n';
      last = last.then(async () => {
        await mkdir(dirname(file), { recursive: true });
        // Written aside then renamed: a stop mid-write never leaves half a file.
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, file);
      });
      return last;
    },
  };
}
