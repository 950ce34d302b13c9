import { checkOrcaUrl, ORCA_DEFAULT_RULES } from './orcaUrlRules';

const refusal = (url: string, rules = ORCA_DEFAULT_RULES) => {
  const verdict = checkOrcaUrl(url, rules);
  if (verdict.ok) throw new Error(`${url} was accepted`);
  return verdict;
};

describe('the wording of an Orca URL refusal', () => {
  it.each([
    ['http://10.0.0.7:7002', 'verbatimIp', 'is an IP address, which rejectVerbatimIps refuses'],
    ['http://localhost:7002', 'localhost', 'is localhost, which rejectLocalhost refuses'],
    ['http://cdaas-bridge:7002', 'allowedHostnamesRegex', 'has no dot in its name, which allowedHostnamesRegex .*\\..+ refuses'],
    ['http://cdaas-bridge.spinnaker.svc.cluster.local:7002', 'excludedDomains', 'ends with .local, which excludedDomains refuses'],
  ])('%s: %s, one clause about the host, and the same with the host in front', (url, rule, reason) => {
    const v = refusal(url);
    expect(v.rule).toBe(rule);
    expect(v.reason).toBe(reason);
    expect(v.detail).toBe(`${v.host} ${reason}`);
  });

  it('words link-local and extra patterns the same way', () => {
    const rules = { ...ORCA_DEFAULT_RULES, rejectVerbatimIps: false, extraExcludedPatterns: ['.*\\.corp\\.example\\.com'] };
    expect(refusal('http://169.254.169.254/', rules).detail).toBe('169.254.169.254 is link-local, which rejectLinkLocal refuses');
    expect(refusal('http://bridge.corp.example.com', rules).detail).toBe(
      'bridge.corp.example.com matches extraExcludedPatterns entry .*\\.corp\\.example\\.com',
    );
  });

  it('says a whole sentence where the host is not the problem', () => {
    expect(refusal('not a url')).toMatchObject({ rule: 'url', reason: '"not a url" is not an absolute URL', detail: '"not a url" is not an absolute URL' });
    expect(refusal('ftp://bridge.example.com')).toMatchObject({ rule: 'scheme', detail: 'scheme ftp is not in allowedSchemes [http, https]' });
  });
});
