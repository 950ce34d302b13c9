import { tooDeep } from './server';

describe('tooDeep (the nesting bound at the boundary)', () => {
  it('names the first path that nests past the bound, objects and arrays alike', () => {
    expect(tooDeep({ a: { b: [1, { c: 'x' }] } }, 4)).toBeUndefined();
    expect(tooDeep({ a: { b: [1, { c: { d: 1 } }] } }, 4)).toBe('a.b[1].c');
    expect(tooDeep([[[]]], 2)).toBe('[0][0]');
    expect(tooDeep('scalar', 0)).toBeUndefined();
  });

  it('walks a body nested 100,000 levels deep without overflowing the stack', () => {
    const deep = JSON.parse('{"x":'.repeat(100_000) + '1' + '}'.repeat(100_000)) as unknown;
    const path = tooDeep(deep, 64) as string;
    // The path stops growing after 200 characters: enough to find the field, bounded in size.
    expect(path.startsWith('x.x.x')).toBe(true);
    expect(path.length).toBeLessThan(210);
  });
});
