/**
 * Where the time goes between picking a stage type and the first frame that shows its form, in
 * the bench's scenario (test/bench/parts/deckBoot.ts): a Chrome trace of the pick, for Deck's
 * Wait stage, Deck's AWS CodeBuild stage (Deck's YamlEditor) and the CD-as-a-Service Deploy
 * stage, each on a fresh page. Per run: pick to the form in the DOM, to the end of the first frame
 * painted after it, and that span cut into script, style, layout (forced inside script or not),
 * paint and idle; with --js, a CPU profile of the same span by package (React, Formik, Ace, Deck's
 * core, the plugin's chunks). Not a bench part: a tool for finding costs, read beside the bench.
 *
 * With --compile, V8's parse and compile events on the main thread in the same span, by name
 * (what compiling functions on their first call costs the pick).
 *
 *   npx tsx test/bench/profileForm.ts [pluginDir] [--runs N] [--js] [--compile] [--only Wait,CodeBuild,Deploy,DeployAce] [--save prefix]
 */
import { writeFile } from 'node:fs/promises';

import type { Page } from 'playwright-core';

import { startSandbox } from '../../sandbox/start';
import { launchBrowser } from '../e2e/browser';
import { flag, option } from './cliArgs';
import { label, moduleOf, nodesById, type Profile, type ProfileNode, shellModules, startCpuProfile, stopCpuProfile } from './cpuProfile';
import { SHOWN } from './parts/deckBoot';
import { mainThread, outermost, recordTrace, type TraceEvent } from './parts/traceTasks';
import { median } from './stats';

interface Subject {
  name: string;
  /** The stage type's label in Deck's picker. */
  type: string;
  /** In the page: whether the form is there (the bench's end condition). */
  shown: string;
}

const SUBJECTS: Subject[] = [
  { name: 'Wait', type: 'Wait', shown: SHOWN.wait },
  { name: 'CodeBuild', type: 'AWS CodeBuild', shown: SHOWN.codeBuild },
  { name: 'Deploy', type: 'CD-as-a-Service Deploy', shown: SHOWN.deploy },
  { name: 'DeployAce', type: 'CD-as-a-Service Deploy', shown: SHOWN.deployAce },
];

/** Marks `cdaas-form-in-dom` in the task that puts the form into the DOM (a MutationObserver runs at that task's end). */
async function watchForForm(page: Page, shown: string): Promise<void> {
  await page.evaluate(`(() => {
    const done = () => ${shown};
    const obs = new MutationObserver(() => {
      if (!done()) return;
      obs.disconnect();
      performance.mark('cdaas-form-in-dom');
      window.__cdaasShown = true;
    });
    obs.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
  })()`);
}

interface Run {
  inDom: number;
  painted: number;
  parts: Map<string, number>;
  tasks: string[];
  modules?: Map<string, number>;
  functions?: Map<string, number>;
  /** With --compile: ms of V8 parse/compile on the main thread in the span, by event name (outermost only). */
  compile?: Map<string, number>;
}

const within = (e: TraceEvent, from: number, to: number) => e.ts >= from && e.ts + (e.dur ?? 0) <= to;

const V8_COMPILE = ['v8', 'disabled-by-default-v8.compile'];

function compileTime(events: TraceEvent[], from: number, to: number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const e of outermost(mainThread(events).filter((x) => /^V8\..*(Compile|Parse)/.test(x.name) && within(x, from, to)))) {
    sums.set(e.name, (sums.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return sums;
}

/** The span from the pick (its click's task) to the end of the first frame painted after the form was in the DOM. */
function analyseTrace(events: TraceEvent[]): Omit<Run, 'modules' | 'functions'> & { from: number; to: number } {
  const onMain = mainThread(events);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const taskOf = (ts: number) => tasks.find((t) => t.ts <= ts && ts <= t.ts + (t.dur ?? 0));
  const click = onMain.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click');
  const mark = events.find((e) => e.name === 'cdaas-form-in-dom');
  if (!click || !mark) throw new Error(`trace without ${click ? 'the form mark' : 'the click'}`);
  const from = taskOf(click.ts)?.ts ?? click.ts;
  const paint = onMain.find((e) => e.name === 'Paint' && e.ts > mark.ts);
  if (!paint) throw new Error('no frame painted after the form was in the DOM');
  const frame = taskOf(paint.ts);
  const to = frame ? frame.ts + (frame.dur ?? 0) : paint.ts + (paint.dur ?? 0);
  const span = tasks.filter((t) => within(t, from, to));
  // A parent before its children where they start together, so the walk below nests them.
  const inside = onMain.filter((e) => e.name !== 'RunTask' && within(e, from, to)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const SCRIPT = ['FunctionCall', 'EvaluateScript', 'V8.Execute', 'RunMicrotasks'];
  const bucket = (e: TraceEvent, inScript: boolean): string | undefined => {
    if (e.name === 'Layout' || e.name === 'LocalFrameView::performLayout') return inScript ? 'layout forced by script' : 'layout (frame)';
    if (['UpdateLayoutTree', 'ScheduleStyleRecalculation', 'Document::recalcStyle', 'Document::rebuildLayoutTree'].includes(e.name)) return inScript ? 'style forced by script' : 'style (frame)';
    if (['Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'PaintImage', 'CompositeLayers', 'Commit'].includes(e.name)) return 'paint, layers';
    if (e.name.startsWith('V8.GC') || e.name === 'MinorGC' || e.name === 'MajorGC' || e.name === 'BlinkGC.AtomicPhase') return 'gc';
    if (e.name === 'ParseHTML' || e.name === 'ParseAuthorStyleSheet') return 'parse HTML/CSS';
    if ([...SCRIPT, 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'v8.compile', 'V8.CompileCode', 'v8.run', 'XHRReadyStateChange'].includes(e.name) || e.name.startsWith('v8.') || e.name.startsWith('V8.')) return 'script';
    return undefined;
  };
  // One walk of the nesting: each event's time not covered by its children (so nested layouts are
  // not counted in script too), whether script encloses it (a forced style or layout), and its
  // bucket. Blink's own events (Document::recalcStyle, LocalFrameView::performLayout, text
  // shaping, in Chromium 13x and later) nest inside devtools.timeline's Layout or UpdateLayoutTree
  // and take most of its self time: an event with no bucket of its own counts as its parent's.
  const self = new Map<TraceEvent, number>();
  const bucketOf = new Map<TraceEvent, string | undefined>();
  const stack: Array<{ e: TraceEvent; inScript: boolean }> = [];
  for (const e of inside) {
    while (stack.length && stack[stack.length - 1].e.ts + (stack[stack.length - 1].e.dur ?? 0) <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    const inScript = !!parent && (parent.inScript || SCRIPT.includes(parent.e.name));
    self.set(e, e.dur ?? 0);
    bucketOf.set(e, bucket(e, inScript) ?? (parent && bucketOf.get(parent.e)));
    if (parent) self.set(parent.e, (self.get(parent.e) ?? 0) - (e.dur ?? 0));
    stack.push({ e, inScript });
  }
  const parts = new Map<string, number>();
  const add = (k: string, v: number) => parts.set(k, (parts.get(k) ?? 0) + v);
  for (const e of inside) {
    const b = bucketOf.get(e);
    if (b) add(b, (self.get(e) ?? 0) / 1000);
  }
  const busy = span.reduce((a, t) => a + (t.dur ?? 0), 0) / 1000;
  const named = [...parts.values()].reduce((a, v) => a + v, 0);
  add('other work in tasks', busy - named);
  add('idle (waiting: input, network, timers)', (to - from) / 1000 - busy);
  const describe = (t: TraceEvent) => {
    const kids = inside.filter((e) => within(e, t.ts, t.ts + (t.dur ?? 0)));
    const what = [...new Set(kids.map((k) => (k.name === 'EventDispatch' ? `${k.args?.data?.type}` : k.name)).filter((n) => ['click', 'mousedown', 'mouseup', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'Paint', 'Layout', 'FunctionCall', 'EvaluateScript', 'ParseHTML'].includes(n)))];
    return `${((t.ts - from) / 1000).toFixed(1).padStart(6)} ms +${((t.dur ?? 0) / 1000).toFixed(1).padStart(5)} ms (cpu ${((t.tdur ?? 0) / 1000).toFixed(1)})  ${what.join(', ')}`;
  };
  return {
    from,
    to,
    inDom: (mark.ts - from) / 1000,
    painted: (to - from) / 1000,
    parts,
    tasks: span.filter((t) => (t.dur ?? 0) > 1000).map(describe),
  };
}

/** Self time per package, and inclusive time per function, of the samples between `from` and `to` (trace clock, µs). */
function analyseProfile(profile: Profile, shell: Map<string, string[]>, from: number, to: number): Pick<Run, 'modules' | 'functions'> {
  const byId = nodesById(profile);
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < from || t > to) continue;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i])!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    add(modules, moduleOf(leaf.callFrame, shell), ms);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = n.parent === undefined ? undefined : byId.get(n.parent)) {
      const k = `${label(n.callFrame)} [${moduleOf(n.callFrame, shell)}]`;
      if (!seen.has(k)) add(functions, k, ms);
      seen.add(k);
    }
  }
  return { modules, functions };
}

interface TraceOptions {
  /** A CPU profile beside the trace (--js). */
  js: boolean;
  /** V8's compile events in the trace (--compile). */
  compile: boolean;
  /** Where to keep the trace (and profile), as a file-name prefix. */
  save?: string;
}

async function traceOnce(browser: Awaited<ReturnType<typeof launchBrowser>>, url: string, subject: Subject, { js, compile, save }: TraceOptions): Promise<Run> {
  const page = await browser.context.newPage();
  try {
    await page.goto(url);
    await page.getByRole('button', { name: /add stage/i }).click();
    await page.locator('.ui-select-container .select2-choice').first().click();
    const row = page.locator('.ui-select-choices-row').filter({ hasText: subject.type }).first();
    await row.waitFor();
    await watchForForm(page, subject.shown);
    const cdp = await browser.context.newCDPSession(page);
    if (js) await startCpuProfile(cdp);
    const events = await recordTrace(cdp, async () => {
      await row.click();
      await page.waitForFunction('window.__cdaasShown === true');
      // A few frames after, so the first one painted with the form is inside the trace.
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))');
    }, false, compile ? V8_COMPILE : []);
    const profile = js ? await stopCpuProfile(cdp) : undefined;
    const run = analyseTrace(events);
    if (save) {
      const stamp = `${save}-${subject.name}-${Date.now()}`;
      await writeFile(`${stamp}.json`, JSON.stringify({ traceEvents: events }));
      // The CPU profile too, with the span it covers (trace clock, µs), to read again without a browser.
      if (profile) await writeFile(`${stamp}.cpuprofile.json`, JSON.stringify({ profile, from: run.from, to: run.to }));
    }
    return { ...run, ...(profile ? analyseProfile(profile, await shellModules(), run.from, run.to) : {}), ...(compile ? { compile: compileTime(events, run.from, run.to) } : {}) };
  } finally {
    await page.close();
  }
}

const fmt = (m: Map<string, number>, n: number, runs: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `    ${(v / runs).toFixed(1).padStart(6)} ms  ${k}`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runs = Number(option(args, '--runs') ?? 3);
  const only = option(args, '--only');
  const save = option(args, '--save');
  const js = flag(args, '--js');
  const compile = flag(args, '--compile');
  const sandbox = await startSandbox({ pluginDir: args[0] });
  const browser = await launchBrowser();
  const subjects = SUBJECTS.filter((s) => !only || only.split(',').includes(s.name));
  const results = new Map<string, Run[]>(subjects.map((s) => [s.name, []]));
  try {
    // A warm-up round (esbuild cache, JIT), then the runs, each round measuring every stage in turn.
    for (let i = 0; i <= runs; i++) {
      for (const s of subjects) {
        const r = await traceOnce(browser, sandbox.urls.editor, s, { js, compile, save: i > 0 ? save : undefined });
        if (i > 0) results.get(s.name)!.push(r);
      }
    }
  } finally {
    await browser.close();
    await sandbox.close();
  }
  for (const [name, rs] of results) {
    console.log(`\n== ${name}: pick to form in DOM ${rs.map((r) => r.inDom.toFixed(1)).join(' / ')} ms (median ${median(rs.map((r) => r.inDom)).toFixed(1)}); to the end of its first frame ${rs.map((r) => r.painted.toFixed(1)).join(' / ')} ms (median ${median(rs.map((r) => r.painted)).toFixed(1)})`);
    const parts = new Map<string, number>();
    for (const r of rs) for (const [k, v] of r.parts) parts.set(k, (parts.get(k) ?? 0) + v);
    console.log('  the span, mean per run:', '\n' + fmt(parts, 20, rs.length).join('\n'));
    console.log('  tasks over 1 ms, last run:', '\n' + rs[rs.length - 1].tasks.map((t) => `    ${t}`).join('\n'));
    if (compile) {
      const byName = new Map<string, number>();
      for (const r of rs) for (const [k, v] of r.compile ?? []) byName.set(k, (byName.get(k) ?? 0) + v);
      const total = [...byName.values()].reduce((a, b) => a + b, 0) / rs.length;
      console.log(`  V8 parse and compile on the main thread, mean per run: ${total.toFixed(1)} ms`, '\n' + fmt(byName, 10, rs.length).join('\n'));
    }
    if (js) {
      const modules = new Map<string, number>();
      const functions = new Map<string, number>();
      for (const r of rs) {
        for (const [k, v] of r.modules ?? []) modules.set(k, (modules.get(k) ?? 0) + v);
        for (const [k, v] of r.functions ?? []) functions.set(k, (functions.get(k) ?? 0) + v);
      }
      console.log('  JS self time by package (sampled, mean per run):', '\n' + fmt(modules, 15, rs.length).join('\n'));
      console.log('  inclusive time by function:', '\n' + fmt(functions, Number(process.env.TOP ?? 60), rs.length).join('\n'));
    }
  }
}

void main();
