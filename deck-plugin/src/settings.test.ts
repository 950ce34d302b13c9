import { DEFAULT_BRIDGE_URL } from '@cdaas/contract/deploy';
import { bridgeUrlProblems } from './settings';

describe('bridgeUrlProblems', () => {
  it('accepts the default and dotted in-cluster names Orca allows by default', () => {
    expect(bridgeUrlProblems(DEFAULT_BRIDGE_URL)).toEqual([]);
    expect(bridgeUrlProblems('https://cdaas-bridge.example.com')).toEqual([]);
  });

  it.each([
    ['http://cdaas-bridge.spinnaker.svc.cluster.local:7002', /ends with \.local/],
    ['http://cdaas-bridge:7002', /has no dot in its name/],
    ['http://localhost:7002', /is localhost/],
    ['http://10.0.0.12:7002', /is an IP address/],
    ['http://bridge.corp.internal', /ends with \.internal/],
  ])('warns about %s, which Orca refuses by default', (url, why) => {
    const [problem] = bridgeUrlProblems(url);
    expect(problem).toMatch(why);
    expect(problem).toContain('user-configured-url-restrictions');
  });

  it('says when the setting is not a URL at all', () => {
    expect(bridgeUrlProblems('cdaas-bridge:7002')[0]).toMatch(/must use http or https|not an absolute URL/);
    expect(bridgeUrlProblems('not a url')[0]).toMatch(/not an absolute URL/);
  });
});
