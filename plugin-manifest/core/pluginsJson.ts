/**
 * plugins.json (PF4J update repository) and repositories.json, validated at the boundary.
 * Field names and meaning follow pf4j-update's PluginInfo/PluginRelease as Spinnaker reads them.
 */
import * as z from 'zod';

import { parseRequires } from './requires';
import { semverProblem } from './semver';

export const SHA512_HEX = /^[0-9a-f]{128}$/i;

export const releaseSchema = z.looseObject({
  version: z.string().superRefine((v, ctx) => {
    const problem = semverProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** pf4j-update parses `yyyy-MM-dd'T'HH:mm:ss'Z'` (then `yyyy-MM-dd`); anything else becomes 1970. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$/, 'an ISO 8601 UTC date, e.g. 2026-11-24T21:00:00Z'),
  requires: z.string().superRefine((v, ctx) => {
    const parsed = parseRequires(v);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
  }),
  sha512sum: z.string().regex(SHA512_HEX, '128 hex characters (the SHA-512 of the bundle zip)'),
  preferred: z.boolean().optional(),
  compatibility: z.array(z.unknown()).optional(),
  url: z.string().min(1),
});
export type PluginRelease = z.infer<typeof releaseSchema>;

export const pluginEntrySchema = z.looseObject({
  id: z.string().min(1),
  description: z.string().optional(),
  provider: z.string().optional(),
  releases: z.array(releaseSchema),
});
export type PluginEntry = z.infer<typeof pluginEntrySchema>;

export const pluginsJsonSchema = z.array(pluginEntrySchema);
export type PluginsJson = z.infer<typeof pluginsJsonSchema>;

export const repositoriesJsonSchema = z.array(z.looseObject({ id: z.string().min(1), url: z.string().min(1) }));
export type RepositoriesJson = z.infer<typeof repositoriesJsonSchema>;

/** One line per problem, each naming the field: `plugins.json[0].releases[2].sha512sum: ...`. */
export function describeIssues(label: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${label}${path}: ${issue.message}`;
  });
}

/** Stable text for a committed JSON file: two-space indent and a final newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
