import { potatoFacts } from '../../test/support/potatoFacts';

/**
 * The bridge tests' application (their assertions name it): payments-api in namespace payments,
 * two replicas, on the prod-us-east agent, a canary that waits for approval at 25 %.
 */
export const PAYMENTS = potatoFacts({
  name: 'payments-api',
  application: 'payments',
  namespace: 'payments',
  namespaceInManifest: true,
  replicas: 2,
  image: 'registry.example.com/payments/api:2.15.0',
  target: 'prod',
  account: 'prod-us-east',
  strategy: 'canary',
  steps: [{ setWeight: { weight: 25 } }, { pause: { untilApproved: true } }, { setWeight: { weight: 50 } }, { pause: { duration: 1, unit: 'seconds' } }],
  manifestPath: 'manifests/api.yml',
});
export const DEPLOYMENT_YAML = PAYMENTS.manifest;

/** Where a PAYMENTS run deploys, as the bridge's ledger and read answers list it: its target and the Deployment it creates. */
export const PAYMENTS_PLACES = {
  targets: [{ name: 'prod', account: 'prod-us-east', namespace: 'payments' }],
  resources: [{ account: 'prod-us-east', namespace: 'payments', kind: 'Deployment', name: 'payments-api' }],
};
