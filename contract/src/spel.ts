/**
 * Spinnaker expressions (`${...}`). Orca evaluates every string of a stage that holds one, at stage
 * start, wherever in the string it sits (`app-${trigger.tag}` too), so Deck, the deploy.yml library
 * and the bridge leave such values to Orca and check nothing more. An opening `${` with no closing
 * brace after it is not an expression (Orca leaves it as typed), so it is checked as a plain value.
 * A boolean, not a type guard: "not an expression" must not narrow a string away.
 */
export function isSpel(value: unknown): boolean {
  return typeof value === 'string' && /\$\{[\s\S]*\}/.test(value);
}
