/**
 * Route definitions shared by the side that serves a path and the side that calls it, so renaming a
 * path is a one-line change both follow. A pattern is a fixed template whose `:name` segments are
 * parameters (`/v1/clusters/:agent/namespaces`); `path()` fills them in, percent-encoded.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The parameter names of a pattern: `/a/:x/b/:y` -> 'x' | 'y'. */
export type PatternParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PatternParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export interface RouteDef<P extends string = string> {
  method: HttpMethod;
  pattern: P;
  /** The concrete path, each parameter percent-encoded. */
  path(...params: [PatternParams<P>] extends [never] ? [] : [Record<PatternParams<P>, string>]): string;
}

export function route<P extends string>(method: HttpMethod, pattern: P, opts: { encode?: boolean } = {}): RouteDef<P> {
  const encode = opts.encode ?? true;
  return {
    method,
    pattern,
    path: ((params?: Record<string, string>) =>
      pattern.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_, name: string) => {
        const value = params?.[name];
        if (value === undefined) throw new Error(`route ${pattern}: missing parameter ${name}`);
        return encode ? encodeURIComponent(value) : value;
      })) as RouteDef<P>['path'],
  };
}

/**
 * Matches decoded path segments against a pattern; the parameters by name, or undefined.
 * Both the bridge's listeners and the emulator match with this one function.
 */
export function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = segments[i]!;
    else if (p !== segments[i]) return undefined;
  }
  return params;
}
