/**
 * A part of the plugin that lives in its own chunk, loaded with `import()` the first time it is
 * needed. Deck imports only index.js at start-up; forms, execution details and the deploy.yml
 * library come later, from the same Gate folder.
 */
export interface LazyPart<M> {
  /** The module, loading it on the first call. A failed load is forgotten, so a retry imports again. */
  load(): Promise<M>;
  /** The module if it has loaded already: lets synchronous Deck hooks answer without waiting. */
  current(): M | undefined;
}

/** What Deck users read when a chunk cannot be loaded (a 404, or Gate serving another version). */
export class ChunkLoadError extends Error {
  constructor(
    /** The file that failed (from the browser's error) or, when the browser names none, the part. */
    public readonly file: string,
    cause: unknown,
  ) {
    super(`The CD-as-a-Service plugin's file ${file} could not be loaded (Gate may be serving another plugin version); reload Deck.`);
    this.name = 'ChunkLoadError';
    this.cause = cause;
  }
}

/** The file named in a failed import()'s message, e.g. Chromium's "Failed to fetch dynamically imported module: https://gate/.../x-abc.js". */
export function failedFile(err: unknown, fallback: string): string {
  const text = err instanceof Error ? err.message : String(err);
  const m = /([\w.-]+\.m?js)\b/.exec(text.replace(/[?#]\S*/g, ''));
  return m ? m[1] : fallback;
}

/**
 * @param what the part in words, used when the browser's error names no file
 * @param importer `() => import('./x')`, written out at the call site so the bundler makes a chunk
 */
export function lazyPart<M>(what: string, importer: () => Promise<M>): LazyPart<M> {
  let loaded: M | undefined;
  let pending: Promise<M> | undefined;
  return {
    load() {
      if (loaded !== undefined) return Promise.resolve(loaded);
      pending ??= importer().then(
        (m) => (loaded = m),
        (err: unknown) => {
          pending = undefined;
          throw err instanceof ChunkLoadError ? err : new ChunkLoadError(failedFile(err, what), err);
        },
      );
      return pending;
    },
    current: () => loaded,
  };
}

/**
 * `fn(module)` at once when the part has loaded, else a promise of it: for Deck hooks that accept
 * either (validateFn), so a form that is open answers synchronously and start-up loads nothing.
 */
export function withPart<M, R>(part: LazyPart<M>, fn: (m: M) => R | Promise<R>): R | Promise<R> {
  const m = part.current();
  return m !== undefined ? fn(m) : part.load().then(fn);
}
