import { describeStart } from './describe';

const deployment = (manifests: unknown[]) => ({
  version: 'v1',
  kind: 'kubernetes',
  application: 'payments',
  targets: {
    prod: { account: 'prod-us-east', namespace: 'payments', strategy: 'canary' },
    staging: { account: 'staging', strategy: 'canary' },
  },
  manifests,
  context: {},
});

describe('describeStart (the ledger view of a start)', () => {
  it('lists the targets and every manifest document on each target it goes to, the target namespace winning as CDaaS deploys it', () => {
    const two = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: edge\n';
    const body = {
      ...deployment([{ path: 'm/api.yml' }, { inline: { value: 'kind: ConfigMap\nmetadata:\n  name: flags\n' }, targets: ['staging'] }]),
      files: { 'm/api.yml': [two] },
    };
    expect(describeStart(body)).toEqual({
      targets: [
        { name: 'prod', account: 'prod-us-east', namespace: 'payments' },
        { name: 'staging', account: 'staging' },
      ],
      resources: [
        { account: 'prod-us-east', namespace: 'payments', kind: 'Deployment', name: 'api' },
        { account: 'prod-us-east', namespace: 'payments', kind: 'Service', name: 'api' },
        { account: 'staging', kind: 'Deployment', name: 'api' },
        { account: 'staging', namespace: 'edge', kind: 'Service', name: 'api' },
        { account: 'staging', kind: 'ConfigMap', name: 'flags' },
      ],
    });
  });

  it('skips what it cannot read instead of failing the start', () => {
    const body = { ...deployment([{ path: 'missing.yml' }, { inline: '{{ not yaml' }, 'junk']), files: { 'other.yml': ['kind: Pod'] } };
    expect(describeStart(body).resources).toEqual([]);
  });
});
