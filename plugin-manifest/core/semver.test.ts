import { describe, expect, it } from 'vitest';

import { parseRequires, requiresService } from './requires';
import { compareVersionStrings, semverProblem } from './semver';

describe('semver', () => {
  it('orders numerically and puts prereleases first', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-alpha', '0.9.9', '1.2.0-rc.10'].sort(compareVersionStrings);
    expect(sorted).toEqual(['0.9.9', '1.2.0-alpha', '1.2.0-rc.1', '1.2.0-rc.10', '1.2.0', '1.10.0']);
  });

  it('explains what is not a version', () => {
    expect(semverProblem('1.2.3')).toBeUndefined();
    expect(semverProblem('v1.2.3')).toMatch(/starts with "v"/);
    expect(semverProblem('01.2.3')).toMatch(/not a semantic version/);
  });
});

describe('requires', () => {
  it('parses kork\'s <service><op><version> list, ranges included', () => {
    expect(parseRequires('gate>=0.0.0, deck>=0.0.0')).toEqual({
      ok: true,
      requirements: [
        { service: 'gate', operator: '>=', version: '0.0.0' },
        { service: 'deck', operator: '>=', version: '0.0.0' },
      ],
    });
    expect(parseRequires('orca>=1.0.0 & <2.0.0').ok).toBe(true);
    expect(parseRequires('deck')).toEqual({ ok: false, problem: expect.stringMatching(/"deck" is not <service><op><version>/) });
  });

  it('tells whether a release applies to Deck', () => {
    expect(requiresService('gate>=0.0.0,deck>=0.0.0', 'deck')).toBe(true);
    expect(requiresService('orca>=0.0.0', 'deck')).toBe(false);
  });
});
