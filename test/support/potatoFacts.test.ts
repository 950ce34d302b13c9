import { checkManifestText, validateDeployYaml } from '@cdaas/contract/deployYaml';
import { parseAllDocuments, parse } from 'yaml';

import { potatoFacts } from './potatoFacts';

describe('potatoFacts: the shared demo-application fixtures', () => {
  it.each([
    ['the defaults', {}],
    ['every parameter', { name: 'payments-api', application: 'payments', namespace: 'payments', namespaceInManifest: true, replicas: 2, image: 'registry.example.com/payments/api:2.15.0', target: 'prod', account: 'prod-us-east', strategy: 'canary', steps: [{ setWeight: { weight: 100 } }], manifestPath: 'manifests/api.yml', service: true }],
    ['an inline manifest', { inline: true }],
  ])('with %s, the deploy.yml text is the JSON, and both it and the manifest pass the contract\'s checks', (_, opts) => {
    const pf = potatoFacts(opts);
    expect(parse(pf.deployYaml)).toEqual(pf.deployment);
    expect(validateDeployYaml(pf.deployYaml).problems).toEqual([]);
    expect(checkManifestText(pf.manifest)).toEqual([]);
    for (const paths of pf.deployment.manifests) expect(paths.path === undefined || pf.files[paths.path]?.[0] === pf.manifest).toBe(true);
  });

  it('puts each parameter where the real files have it', () => {
    const pf = potatoFacts({ name: 'payments-api', namespace: 'payments', namespaceInManifest: true, replicas: 2, image: 'registry.example.com/payments/api:2.15.0', service: true, strategy: 'canary', strategyRef: 'canry' });
    const [deployment, service] = parseAllDocuments(pf.manifest).map((d) => d.toJS() as Record<string, any>);
    expect(deployment).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'payments-api', namespace: 'payments' },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'payments-api', image: 'registry.example.com/payments/api:2.15.0' }] } } },
    });
    expect(service).toMatchObject({ kind: 'Service', spec: { selector: { app: 'payments-api' } } });
    // A strategy the target names but deploy.yml does not define: what a typo looks like.
    expect(pf.deployment.targets.staging).toEqual({ account: 'staging', namespace: 'payments', strategy: 'canry' });
    expect(Object.keys(pf.deployment.strategies!)).toEqual(['canary']);
    expect(validateDeployYaml(pf.deployYaml).problems.map((p) => p.message)).toEqual([expect.stringMatching(/canry/)]);
  });
});
