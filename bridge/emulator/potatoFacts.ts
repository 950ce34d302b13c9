/**
 * potato-facts, the demo application: its Kubernetes manifest, its deploy.yml (as text, as a
 * repository holds it, and as the JSON the stages post) from one set of parameters. The sandbox's
 * demo pipelines deploy it; tests take it from `test/support/potatoFacts.ts` and state what they
 * depend on (a name, the replicas, the steps) through the parameters. Product code: the sandbox
 * imports it, so it imports nothing from a test folder. Pure text (no Node APIs): Deck's tests
 * in jsdom use it too.
 */
import type { CanaryStep, DeployYml, ManifestSource } from '@cdaas/contract/deployYaml';
import { stringify } from 'yaml';

export interface PotatoFactsOptions {
  /** The Deployment's name, its `app` label and container; default `potato-facts`. */
  name?: string;
  /** deploy.yml's `application`; default the name. */
  application?: string;
  /** The target's namespace; default the name. */
  namespace?: string;
  /** Also write the namespace into the manifest's metadata; default false (the target's applies). */
  namespaceInManifest?: boolean;
  replicas?: number;
  image?: string;
  /** The deploy.yml target (an environment) and its agent; defaults `staging` and the target. */
  target?: string;
  account?: string;
  /** The canary strategy's name, and the one the target names (a typo to test with); default `canary-25-50`. */
  strategy?: string;
  strategyRef?: string;
  /** The canary steps; default 25 %, an approval, 50 %, a 30 s pause. */
  steps?: CanaryStep[];
  /** Where deploy.yml says the manifest is; default `manifests/<name>.yml`. */
  manifestPath?: string;
  /** deploy.yml carries the manifest inline instead of naming a path. */
  inline?: boolean;
  /** A Service in front of the Deployment, as a second document of the manifest. */
  service?: boolean;
}

export interface PotatoFacts {
  name: string;
  namespace: string;
  image: string;
  replicas: number;
  manifestPath: string;
  /** The Kubernetes manifest text. */
  manifest: string;
  /** deploy.yml as JSON (what the stages post as `deployment`; open to the extra fields a test adds). */
  deployment: DeployYml & Record<string, unknown>;
  /** The manifests by the path deploy.yml names (empty when inline). */
  files: Record<string, string[]>;
  /** deploy.yml as text, as a repository holds it (the same document as `deployment`). */
  deployYaml: string;
}

export const DEMO_STEPS: CanaryStep[] = [
  { setWeight: { weight: 25 } },
  { pause: { untilApproved: true } },
  { setWeight: { weight: 50 } },
  { pause: { duration: 30, unit: 'seconds' } },
];

export function potatoFacts(o: PotatoFactsOptions = {}): PotatoFacts {
  const name = o.name ?? 'potato-facts';
  const namespace = o.namespace ?? name;
  const image = o.image ?? 'demoimages/bluegreen:v4';
  const replicas = o.replicas ?? 3;
  const target = o.target ?? 'staging';
  const strategy = o.strategy ?? 'canary-25-50';
  const manifestPath = o.manifestPath ?? `manifests/${name}.yml`;
  const service = o.service
    ? `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports: [{ port: 80, targetPort: 8000 }]
`
    : '';
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${o.namespaceInManifest ? `\n  namespace: ${namespace}` : ''}
  labels: { app: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: ${image}
          ports: [{ containerPort: 8000 }]
${service}`;
  const manifests: ManifestSource[] = o.inline ? [{ inline: { value: manifest } }] : [{ path: manifestPath }];
  const deployment: PotatoFacts['deployment'] = {
    version: 'v1',
    kind: 'kubernetes',
    application: o.application ?? name,
    targets: { [target]: { account: o.account ?? target, namespace, strategy: o.strategyRef ?? strategy } },
    manifests,
    strategies: { [strategy]: { canary: { steps: o.steps ?? DEMO_STEPS } } },
  };
  return {
    name,
    namespace,
    image,
    replicas,
    manifestPath,
    manifest,
    deployment,
    files: o.inline ? {} : { [manifestPath]: [manifest] },
    // Block style throughout, as people write deploy.yml (and Armory's examples are).
    deployYaml: stringify(deployment, { lineWidth: 0 }),
  };
}
