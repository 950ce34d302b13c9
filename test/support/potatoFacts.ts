/**
 * The potato-facts fixtures every test project uses: `potatoFacts({ name, replicas, steps, ... })`
 * gives the manifest text, deploy.yml text and its JSON. The source is product code (the sandbox
 * deploys the same application), so it lives with the emulator; tests import it from here.
 */
import { stringify } from 'yaml';

import { potatoFacts } from '@cdaas/bridge/emulator/potatoFacts';

export { DEMO_STEPS, potatoFacts, type PotatoFacts, type PotatoFactsOptions } from '@cdaas/bridge/emulator/potatoFacts';

/**
 * potato-facts' deploy.yml grown to `targets` targets (many services' environments, as a large real
 * one has), one 50 % step; the target at `typoAt` names strategy `canry`, which does not exist.
 * `manifest: false` leaves out the manifest (and so the artifact it would need bound).
 */
export function manyTargetsDeployYaml(o: { targets: number; typoAt: number; manifest?: boolean }): string {
  const { manifests, ...deployment } = potatoFacts({ strategy: 'canary', steps: [{ setWeight: { weight: 50 } }] }).deployment;
  const targets = Object.fromEntries(
    Array.from({ length: o.targets }, (_, i) => [`prod-${i}`, { account: `prod-cluster-${i % 7}`, namespace: `potato-facts-${i}`, strategy: i === o.typoAt ? 'canry' : 'canary' }]),
  );
  const { strategies, ...head } = deployment;
  return stringify({ ...head, targets, ...(o.manifest === false ? {} : { manifests }), strategies }, { lineWidth: 0 });
}
