/**
 * The Deck module's files as Gate serves them: index.js and the chunks it loads, all top-level
 * files of deck.zip, named relative to index.js. Read from the built code itself (rollup's output:
 * `from"./x.js"`, `import("./x.js")`, and the worker's `new URL("x.js",import.meta.url)`), so the
 * packager and verify-manifest check what the browser will really ask for.
 */

/** A file name Gate serves from `/plugins/deck/{id}/{version}/{file}`: one path segment. */
export const TOP_LEVEL_FILE = /^[\w][\w.-]*$/;

/** Every relative module a chunk's code names, as written (e.g. `./deploy-yaml-abc.js`). */
export function chunkReferences(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
    /\bimport\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bnew URL\(\s*["']([^"':]+\.m?js)["']\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const p of patterns) for (const m of code.matchAll(p)) found.add(m[1]);
  return [...found];
}

export interface ChunkProblem {
  /** The file whose code names it. */
  from: string;
  /** As written in the code. */
  reference: string;
  why: string;
}

/**
 * Follows index.js's references through every chunk: the files reached, and each reference that
 * Gate could not serve (missing from the bundle, or outside the top level).
 */
export function followChunks(files: ReadonlyMap<string, string>, entry = 'index.js'): { reached: string[]; problems: ChunkProblem[] } {
  const reached: string[] = [];
  const problems: ChunkProblem[] = [];
  const queue = [entry];
  const seen = new Set(queue);
  while (queue.length) {
    const name = queue.shift() as string;
    reached.push(name);
    const code = files.get(name) ?? '';
    for (const reference of chunkReferences(code)) {
      const target = reference.replace(/^\.\//, '');
      if (!TOP_LEVEL_FILE.test(target)) {
        problems.push({ from: name, reference, why: 'it is not a top-level file of deck.zip, and Gate serves only those' });
      } else if (!files.has(target)) {
        problems.push({ from: name, reference, why: 'it is not in deck.zip' });
      } else if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return { reached, problems };
}

export const describeChunkProblem = (p: ChunkProblem) => `${p.from} loads ${p.reference}, but ${p.why}`;
