/**
 * Reading a CDP CPU profile of the real Deck UI: which package of Deck's shell (React, Formik, Ace,
 * Deck's core; from esbuild's `// node_modules/<pkg>/...` comments in the unminified shell) or
 * which plugin chunk each sampled function belongs to. Used by profileTyping.ts and profileForm.ts.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { CDPSession } from 'playwright-core';

import { DEFAULT_SHELL_DIR } from '../../sandbox/deck-shell/build';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  parent?: number;
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** For each built file of Deck's shell: the package each line belongs to, from esbuild's comments. */
export async function shellModules(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const f of await readdir(DEFAULT_SHELL_DIR)) {
    if (!f.endsWith('.js')) continue;
    const lines = (await readFile(join(DEFAULT_SHELL_DIR, f), 'utf8')).split('\n');
    let current = '(shell)';
    out.set(
      f,
      lines.map((l) => {
        const m = /^\/\/ (?:node_modules\/)?((?:@[^/]+\/)?[^/ ]+)/.exec(l);
        if (m) current = m[1];
        return current;
      }),
    );
  }
  return out;
}

export function moduleOf(frame: CallFrame, shell: Map<string, string[]>): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const file = frame.url.split('?')[0].split('/').pop() ?? '';
  const lines = shell.get(file);
  // Whatever is not Deck's shell is the plugin (served by Gate) or the page's own scripts.
  return lines ? lines[frame.lineNumber] ?? file : `plugin:${file.replace(/-[\w-]{8}\.js$/, '')}`;
}

export const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;

/** Starts V8's sampling profiler in the page, one sample per 100 µs. */
export async function startCpuProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
}

export async function stopCpuProfile(cdp: CDPSession): Promise<Profile> {
  return ((await cdp.send('Profiler.stop')) as unknown as { profile: Profile }).profile;
}

/** The profile's nodes by id, each with its `parent` filled in (the profile lists only children). */
export function nodesById(profile: Profile): Map<number, ProfileNode> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) byId.get(c)!.parent = n.id;
  return byId;
}

/**
 * Milliseconds of samples with a frame of a matching script anywhere on their stack: that code's
 * own time plus whatever it called (Deck's registries, React), as a profile attributes CPU to it.
 */
export function timeUnder(profile: Profile, matches: (url: string) => boolean): number {
  const byId = nodesById(profile);
  const under = new Map<number, boolean>();
  const isUnder = (id: number): boolean => {
    const known = under.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const result = matches(node.callFrame.url) || (node.parent !== undefined && isUnder(node.parent));
    under.set(id, result);
    return result;
  };
  let us = 0;
  // timeDeltas[i] is the time before sample i: the sample that follows holds it.
  for (let i = 0; i < profile.samples.length; i++) if (isUnder(profile.samples[i])) us += profile.timeDeltas[i + 1] ?? 0;
  return us / 1000;
}
