/**
 * A request body checked against a contract schema (valibot, shared with Deck), or a 400 naming the
 * first field at fault and listing the others. Messages never repeat the value (see issueText).
 */
import * as v from 'valibot';

import { issueField, issueText } from '@cdaas/contract/errors';
import { httpError } from './server';

export function parseBody<S extends v.GenericSchema>(schema: S, body: unknown, what: string): v.InferOutput<S> {
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) {
    const issues = parsed.issues.map((i) => `${issueField(i) || 'body'}: ${issueText(i)}`);
    throw httpError(400, `invalid ${what}: ${issues[0]}`, issueField(parsed.issues[0]) || 'body', issues);
  }
  return parsed.output;
}
