/**
 * Reads the files an admin configures Spinnaker with into flat Spring-style properties
 * (`spinnaker.extensibility.deck-proxy.plugins.Armory.CDaaSSpinnaker.enabled`, `proxies[0].id`),
 * each remembering where it was written, so a check can name the file, line and column.
 *
 * - `spinnaker-local.yml` (read by every service), `gate-local.yml`, `orca-local.yml`: YAML.
 * - `settings-local.js`: Deck's settings, evaluated as Deck evaluates them (a script that assigns
 *   to `window.spinnakerSettings`), in an isolated VM context with a time limit.
 * - A SpinnakerService manifest (Spinnaker Operator): `spec.spinnakerConfig.profiles.{spinnaker,
 *   gate,orca}` hold the same YAML; `profiles.deck["settings-local.js"]` the same script.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runInNewContext } from 'node:vm';

import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';

export type Service = 'spinnaker' | 'gate' | 'orca' | 'deck';

export interface Position {
  line: number;
  col: number;
}

export interface Prop {
  value: unknown;
  /** The key's position, or the value's for list items. */
  pos?: Position;
  /** True when YAML gave the value a non-string type (e.g. `version: 1.10` is the number 1.1). */
  yamlNumber?: boolean;
  /** The value as written, for numbers (1.10 reads as 1.1). */
  raw?: string;
}

export interface Source {
  service: Service;
  /** The file as the admin named it. */
  file: string;
  /** For profiles inside a SpinnakerService manifest, the path of the profile in the manifest. */
  prefix: string;
  props: Map<string, Prop>;
  /** Where this source's top level is (for "missing" findings). */
  pos?: Position;
  /** Deck only: the evaluated `window.spinnakerSettings`, and the script text. */
  deckSettings?: Record<string, unknown>;
  script?: { text: string; firstLine: number };
}

export interface SourceProblem {
  file: string;
  pos?: Position;
  message: string;
}

export interface LoadedSources {
  sources: Source[];
  problems: SourceProblem[];
  /** Services one of whose files could not be read: their checks would only repeat that. */
  broken: Service[];
}

/** Spring reads `[a.b]` as a map key with dots; for lookups it is the same as `a.b`. */
function keyText(node: unknown): string {
  const raw = isScalar(node) ? String(node.value) : String(node);
  return raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
}

function flatten(node: Node | null | undefined, prefix: string, out: Map<string, Prop>, lc: LineCounter, text: string): void {
  const rawOf = (n: Node | null | undefined) =>
    isScalar(n) && typeof n.value === 'number' && n.range ? text.slice(n.range[0], n.range[1]).trim() : undefined;
  const posOf = (n: { range?: [number, number, number] | null } | null | undefined): Position | undefined => {
    if (!n?.range) return undefined;
    const { line, col } = lc.linePos(n.range[0]);
    return { line, col };
  };
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const path = prefix ? `${prefix}.${key}` : key;
      const value = pair.value as Node | null;
      if (isMap(value) || isSeq(value)) {
        out.set(path, { value: undefined, pos: posOf(pair.key as Node) });
        flatten(value, path, out, lc, text);
      } else {
        const scalar = isScalar(value) ? value : undefined;
        out.set(path, {
          value: scalar ? scalar.value : null,
          pos: posOf(pair.key as Node),
          yamlNumber: typeof scalar?.value === 'number',
          raw: rawOf(value),
        });
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const path = `${prefix}[${i}]`;
      if (isMap(item) || isSeq(item)) {
        out.set(path, { value: undefined, pos: posOf(item as Node) });
        flatten(item as Node, path, out, lc, text);
      } else {
        const scalar = isScalar(item) ? item : undefined;
        out.set(path, { value: scalar ? scalar.value : null, pos: posOf(item as Node), yamlNumber: typeof scalar?.value === 'number' });
      }
    });
  }
}

function serviceFromName(file: string): Service | undefined {
  const name = basename(file).toLowerCase();
  if (/^spinnaker(-local)?\.ya?ml$/.test(name)) return 'spinnaker';
  if (/^gate(-local)?\.ya?ml$/.test(name)) return 'gate';
  if (/^orca(-local)?\.ya?ml$/.test(name)) return 'orca';
  if (/^settings(-local)?\.js$/.test(name)) return 'deck';
  return undefined;
}

/**
 * Runs Deck's settings script against a `window` whose spinnakerSettings creates any missing
 * object on first read, so lines like `window.spinnakerSettings.feature.x = true` work as they do
 * after Deck's own settings.js.
 */
export function evaluateDeckSettings(text: string, file: string): { settings?: Record<string, unknown>; error?: SourceProblem } {
  const autoVivify = (target: Record<string, unknown>): Record<string, unknown> =>
    new Proxy(target, {
      get(t, prop) {
        if (typeof prop === 'symbol' || prop === 'toJSON' || prop === 'then') return Reflect.get(t, prop);
        if (!(prop in t)) t[prop] = autoVivify({});
        return t[prop];
      },
    });
  const settings: Record<string, unknown> = {};
  const window = { spinnakerSettings: autoVivify(settings) };
  try {
    runInNewContext(text, { window }, { filename: file, timeout: 1000 });
  } catch (e) {
    const err = e as Error;
    const stack = String(err.stack ?? '');
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const at = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(stack);
    let col = at?.[2] ? Number(at[2]) : undefined;
    if (col === undefined && err.name === 'SyntaxError') {
      // V8 shows the line and a caret under the problem for syntax errors.
      const caret = stack.split('\n').find((l) => /^\s*\^+\s*$/.test(l));
      if (caret) col = caret.indexOf('^') + 1;
    }
    return {
      error: {
        file,
        pos: at ? { line: Number(at[1]), col: col ?? 1 } : undefined,
        message: `${err.name}: ${err.message} (Deck would stop reading its settings here)`,
      },
    };
  }
  return { settings };
}

function yamlDocuments(text: string, file: string, problems: SourceProblem[]) {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  let ok = true;
  for (const doc of list) {
    for (const e of doc.errors) {
      ok = false;
      const lp = e.linePos?.[0];
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      problems.push({ file, pos: lp ? { line: lp.line, col: lp.col } : undefined, message: `YAML error: ${message}` });
    }
  }
  return { docs: ok ? list : [], lc, ok };
}

function fromOperator(file: string, text: string, problems: SourceProblem[]): Source[] | undefined {
  const { docs, lc } = yamlDocuments(text, file, problems);
  const sources: Source[] = [];
  let isOperator = false;
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root) || doc.get('kind') !== 'SpinnakerService') continue;
    isOperator = true;
    const profiles = doc.getIn(['spec', 'spinnakerConfig', 'profiles'], true) as Node | undefined;
    if (!isMap(profiles)) continue;
    for (const pair of profiles.items) {
      const service = keyText(pair.key) as Service;
      const prefix = `spec.spinnakerConfig.profiles.${service}`;
      const pos = (pair.key as Node).range ? lc.linePos((pair.key as Node).range![0]) : undefined;
      if (service === 'deck') {
        const scriptNode = isMap(pair.value) ? pair.value.items.find((p) => keyText(p.key) === 'settings-local.js') : undefined;
        const scalar = scriptNode && isScalar(scriptNode.value) ? scriptNode.value : undefined;
        if (scalar && typeof scalar.value === 'string' && scalar.range) {
          // A block scalar starts on the line after its indicator.
          const firstLine = lc.linePos(scalar.range[0]).line + (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED' ? 1 : 0);
          sources.push(deckSource(`${file}`, scalar.value, problems, `${prefix}["settings-local.js"]`, firstLine));
        }
        continue;
      }
      if (service !== 'spinnaker' && service !== 'gate' && service !== 'orca') continue;
      const props = new Map<string, Prop>();
      flatten(pair.value as Node, '', props, lc, text);
      sources.push({ service, file, prefix, props, pos: pos ? { line: pos.line, col: pos.col } : undefined });
    }
  }
  return isOperator ? sources : undefined;
}

function deckSource(file: string, text: string, problems: SourceProblem[], prefix = '', firstLine = 1): Source {
  const { settings, error } = evaluateDeckSettings(text, file);
  if (error) {
    problems.push({ ...error, pos: error.pos ? { line: error.pos.line + firstLine - 1, col: error.pos.col } : undefined });
  }
  return { service: 'deck', file, prefix, props: new Map(), deckSettings: settings, script: { text, firstLine } };
}

/** `gate=path` names the service explicitly; otherwise the file name (or a SpinnakerService kind) tells. */
export function loadSources(args: string[], read: (path: string) => string = (p) => readFileSync(p, 'utf8')): LoadedSources {
  const sources: Source[] = [];
  const problems: SourceProblem[] = [];
  const broken = new Set<Service>();
  for (const arg of args) {
    const explicit = /^(spinnaker|gate|orca|deck)=(.+)$/.exec(arg);
    const file = explicit ? explicit[2] : arg;
    let text: string;
    try {
      text = read(file);
    } catch (e) {
      problems.push({ file, message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      const known = (explicit?.[1] as Service | undefined) ?? serviceFromName(file);
      if (known) broken.add(known);
      continue;
    }
    const service = (explicit?.[1] as Service | undefined) ?? serviceFromName(file);
    if (service === 'deck') {
      const source = deckSource(file, text, problems);
      if (!source.deckSettings) broken.add('deck');
      sources.push(source);
      continue;
    }
    if (service) {
      const { docs, lc, ok } = yamlDocuments(text, file, problems);
      const props = new Map<string, Prop>();
      // Later documents override earlier ones, as Spring reads a multi-document file.
      for (const doc of docs) flatten(doc.contents as Node, '', props, lc, text);
      if (!ok) broken.add(service);
      else sources.push({ service, file, prefix: '', props, pos: { line: 1, col: 1 } });
      continue;
    }
    if (/\.ya?ml$/i.test(file)) {
      const before = problems.length;
      const operator = fromOperator(file, text, problems);
      if (operator) {
        sources.push(...operator);
        continue;
      }
      if (problems.length > before) {
        // Unparseable: it may have been any of them.
        for (const s of ['spinnaker', 'gate', 'orca', 'deck'] as const) broken.add(s);
        continue;
      }
    }
    problems.push({
      file,
      message:
        'cannot tell which service reads this file: name it spinnaker-local.yml, gate-local.yml, orca-local.yml or settings-local.js, ' +
        'give a SpinnakerService manifest, or prefix the path with the service (gate=path/to/file.yml)',
    });
  }
  return { sources, problems, broken: [...broken] };
}
