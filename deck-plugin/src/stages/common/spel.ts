/**
 * Spinnaker expressions (`${...}`) in form fields. Orca evaluates them at stage start, so the
 * form accepts them wherever a value may come from the pipeline and checks nothing more.
 */
export function isSpel(value: unknown): boolean {
  return typeof value === 'string' && /\$\{[\s\S]*\}/.test(value);
}
