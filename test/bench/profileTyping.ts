/**
 * Where a keystroke's time goes in the typing bench's scenario (test/bench/parts/typing.ts): a
 * CPU profile (CDP `Profiler`, 100 µs sampling) of the 20 keystrokes, cut into tasks at the idle
 * samples, and for the longest tasks the functions and modules that made them. Not a bench part:
 * a tool for finding costs, whose figures are read beside the bench's.
 *
 *   npx tsx test/bench/profileTyping.ts [pluginDir] [--editor ours|deck|ace] [--over ms] [--save out.json] [--trace [--js] [--runs N]] [--css '<rules>']
 *
 * --trace records a devtools.timeline trace instead: per keystroke the longest task by wall and by
 * thread (CPU) time, and what it was (input, frame, worker answer, timer), which a JS profile
 * shows as "(program)". --css adds a style sheet before typing (a containment rule tried without
 * a rebuild). --over N: the profile's tasks over N ms (default 16; 0: every task). --editor deck types in Deck's own AWS CodeBuild stage instead, --editor ace in that
 * editor with nothing listening (the bench's floor, see parts/typing.ts), both in a Deck without plugins.
 *
 * pluginDir defaults to build/dist; a `NODE_ENV=development` build keeps the plugin's names.
 * Deck's shell is built unminified, with esbuild's `// node_modules/<pkg>/...` comments, which
 * name the package each of its lines belongs to (React, Formik, Ace, Angular, Deck's core).
 */
import { writeFile } from 'node:fs/promises';

import { startSandbox } from '../../sandbox/start';
import { launchBrowser } from '../e2e/browser';
import { flag, option } from './cliArgs';
import { label, moduleOf, nodesById, type Profile, type ProfileNode, shellModules, startCpuProfile, stopCpuProfile } from './cpuProfile';
import { generateDeployYaml } from '../support/largeDeployYaml';
import { keystrokeTasks, recordTrace, type TraceEvent } from './parts/traceTasks';
import { median } from './stats';
import { aceAlone, deckStage, ourForm, typeKeys, type TypingTarget } from './parts/typing';

function analyse(profile: Profile, shell: Map<string, string[]>, from: number, to: number, over = 16): string[] {
  const byId = nodesById(profile);
  // Tasks: runs of non-idle samples (a gap of idle ends one).
  type Task = { start: number; ms: number; samples: Array<{ node: number; ms: number }> };
  const tasks: Task[] = [];
  let t = profile.startTime;
  let cur: Task | undefined;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(profile.samples[i])!;
    const idle = node.callFrame.functionName === '(idle)';
    if (t < from || t > to) continue;
    if (idle) {
      cur = undefined;
      continue;
    }
    if (!cur) tasks.push((cur = { start: t, ms: 0, samples: [] }));
    cur.ms += ms;
    cur.samples.push({ node: node.id, ms });
  }
  const lines: string[] = [];
  const busy = tasks.reduce((a, x) => a + x.ms, 0);
  const long = tasks.filter((x) => x.ms > over).sort((a, b) => b.ms - a.ms);
  lines.push(`${tasks.length} tasks, ${busy.toFixed(0)} ms busy in the typing window; over ${over} ms: ${long.length} (${long.slice(0, 40).map((x) => x.ms.toFixed(0)).join(', ')})`);
  // Aggregate over the long tasks: self time per module and per function, and inclusive time per
  // function (each counted once per sample however deep its recursion).
  const selfModule = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const inclFn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const task of long) {
    for (const s of task.samples) {
      const leaf = byId.get(s.node)!;
      add(selfModule, moduleOf(leaf.callFrame, shell), s.ms);
      add(selfFn, `${label(leaf.callFrame)} [${moduleOf(leaf.callFrame, shell)}]`, s.ms);
      const seen = new Set<string>();
      for (let n: ProfileNode | undefined = leaf; n; n = n.parent === undefined ? undefined : byId.get(n.parent)) {
        const k = `${label(n.callFrame)} [${moduleOf(n.callFrame, shell)}]`;
        if (!seen.has(k)) add(inclFn, k, s.ms);
        seen.add(k);
      }
    }
  }
  const total = long.reduce((a, x) => a + x.ms, 0) || 1;
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${(v / (long.length || 1)).toFixed(1).padStart(6)} ms/task  ${k}`);
  lines.push(`self time by module, in the tasks over ${over} ms:`, ...top(selfModule, 15));
  lines.push('self time by function:', ...top(selfFn, 25));
  lines.push('inclusive time by function:', ...top(inclFn, 45));
  return lines;
}

/** The trace's keystrokes: the longest task per keystroke, by wall and CPU time, and what it was. */
function analyseTrace(events: TraceEvent[]): string[] {
  const keys = keystrokeTasks(events);
  const wall = keys.map((k) => k.wall);
  const cpu = keys.map((k) => k.cpu);
  const kinds = new Map<string, { n: number; cpu: number }>();
  const perKind = new Map<string, number[]>();
  for (const k of keys) {
    const entry = kinds.get(k.kind) ?? { n: 0, cpu: 0 };
    entry.n++;
    entry.cpu += k.cpu;
    kinds.set(k.kind, entry);
    for (const [kk, v] of k.largest) perKind.set(kk, [...(perKind.get(kk) ?? []), v]);
  }
  return [
    `${keys.length} keystrokes; longest task per keystroke: wall median ${median(wall).toFixed(1)} ms, worst ${Math.max(...wall).toFixed(1)}; CPU median ${median(cpu).toFixed(1)} ms, worst ${Math.max(...cpu).toFixed(1)}`,
    `  CPU per keystroke: ${cpu.map((x) => x.toFixed(0)).join(' ')}`,
    'what the longest task (by CPU) was:',
    ...[...kinds].sort((a, b) => b[1].n - a[1].n).map(([k, v]) => `  ${String(v.n).padStart(3)} x  ${(v.cpu / v.n).toFixed(1).padStart(5)} ms CPU on average  ${k}`),
    'largest task of each kind per keystroke (CPU, median / worst, in how many keystrokes):',
    ...[...perKind].sort((a, b) => median(b[1]) - median(a[1])).map(([k, v]) => `  ${median(v).toFixed(1).padStart(5)} / ${Math.max(...v).toFixed(1).padStart(5)} ms  in ${String(v.length).padStart(2)}  ${k}`),
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const save = option(args, '--save');
  const trace = flag(args, '--trace');
  const js = flag(args, '--js');
  const css = option(args, '--css');
  const runs = Number(option(args, '--runs') ?? 2);
  const over = Number(option(args, '--over') ?? 16);
  const editorName = option(args, '--editor') ?? 'ours';
  const targets: Record<string, TypingTarget> = { ours: ourForm, deck: deckStage, ace: aceAlone };
  const target = targets[editorName];
  if (!target) throw new Error(`--editor takes ours, deck or ace, not ${editorName}`);
  const pluginDir = args[0];
  const sandbox = await startSandbox(target === ourForm ? { backend: true, pluginDir } : { withoutPlugin: true, backend: false });
  const browser = await launchBrowser();
  try {
    const shell = await shellModules();
    const text = generateDeployYaml();
    for (let run = 0; run < (trace ? runs : 1); run++) {
      const page = await browser.context.newPage();
      await target.open(page, sandbox.urls.editor, text);
      if (css) await page.addStyleTag({ content: css });
      const cdp = await browser.context.newCDPSession(page);
      if (trace) {
        const events = await recordTrace(cdp, () => typeKeys(page, target), js);
        if (save) await writeFile(save.replace(/(\.\w+)?$/, `-${run}$1`), JSON.stringify({ traceEvents: events }));
        console.log(`run ${run + 1}:`);
        for (const l of analyseTrace(events)) console.log(l);
      } else {
        await startCpuProfile(cdp);
        await typeKeys(page, target);
        const profile = await stopCpuProfile(cdp);
        if (save) await writeFile(save, JSON.stringify(profile));
        for (const l of analyse(profile, shell, profile.startTime, profile.endTime, over)) console.log(l);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

void main();
