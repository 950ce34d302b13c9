import { isSpel } from './spel';

describe('isSpel', () => {
  it('finds an expression anywhere in a string, over lines too', () => {
    expect(isSpel('${trigger.tag}')).toBe(true);
    expect(isSpel('payments-${trigger.tag}')).toBe(true);
    expect(isSpel('${#stage("Bake")["outputs"]\n["image"]}')).toBe(true);
  });

  // The bridge once checked startsWith('${'), so "Deploy ${x}" reached CDaaS as the pipeline name unevaluated.
  it('treats an expression in the middle of a value as one (the bridge used to see only a leading one)', () => {
    expect(isSpel('Deploy ${trigger.user}')).toBe(true);
  });

  it('is not fooled by plain values, an unclosed ${ or non-strings', () => {
    expect(isSpel('payments')).toBe(false);
    expect(isSpel('cost: $5 {approx}')).toBe(false);
    expect(isSpel('${unclosed')).toBe(false);
    expect(isSpel(42)).toBe(false);
    expect(isSpel(undefined)).toBe(false);
  });
});
