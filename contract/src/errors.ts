/**
 * The error answer every bridge listener sends (4xx/5xx), and the wording of a validation issue in
 * it: the field in code notation and what is wrong, never the refused value itself.
 */
import * as v from 'valibot';

export const errorAnswerSchema = v.object({
  error: v.string(),
  field: v.optional(v.string()),
  details: v.optional(v.array(v.string())),
});
export type ErrorAnswer = v.InferOutput<typeof errorAnswerSchema>;

/** The field a validation issue is about, as code writes it (`artifacts[0].path`); '' for the whole value. */
export function issueField(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).reduce<string>(
    (acc, p) => (typeof p.key === 'number' ? `${acc}[${p.key}]` : acc ? `${acc}.${String(p.key)}` : String(p.key)),
    '',
  );
}

/**
 * What is wrong, in words that never repeat the value: valibot's own messages quote a wrong string
 * in full (`received "..."`), which could be a manifest or a token in a 4xx answer or a log.
 * A missing or empty field says so, rather than valibot's "Invalid key" / "Invalid length".
 */
export function issueText(issue: v.BaseIssue<unknown>): string {
  const last = issue.path?.[issue.path.length - 1];
  if (last?.origin === 'key') return 'required, but missing';
  if (issue.type === 'min_length' && issue.requirement === 1) return 'must not be empty';
  if (issue.kind !== 'schema') return issue.message;
  const input: unknown = issue.input;
  const received = input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
  return `expected ${issue.expected ?? 'another value'}, received ${received}`;
}
