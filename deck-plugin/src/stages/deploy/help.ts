/** Help texts of the "CD-as-a-Service Deploy" stage, registered through `plugin.help` (Markdown). */
export const deployHelp: Record<string, string> = {
  'cdaas.deploy.account':
    'The target cluster, named by the **agent identifier** of its Remote Network Agent (not a Spinnaker account). ' +
    'Lists the agents connected now; you may type one, or an expression such as `${parameters.cluster}`.',
  'cdaas.deploy.namespace': 'Optional. Deploys every manifest into this namespace instead of their own.',
  'cdaas.deploy.application': 'The CD-as-a-Service application (groups deployments in its console). Defaults to this Spinnaker application.',
  'cdaas.deploy.manifestSource':
    '**Text**: paste the manifests. **Artifacts**: manifests the trigger or an upstream stage (e.g. Bake (Manifest)) provides.',
  'cdaas.deploy.manifestText':
    'Kubernetes manifests in YAML, documents separated by `---`. ReplicaSets and Pods are not accepted: deploy a Deployment.',
  'cdaas.deploy.manifestArtifact':
    'An expected artifact holding manifest YAML, resolved when the stage starts. Readable types: `embedded/base64`, `http/file`, `github/file`.',
  'cdaas.deploy.strategy':
    '**Canary** shifts traffic to the new version step by step; **blue/green** starts it beside the old one, then switches all traffic.',
  'cdaas.deploy.canarySteps':
    '**Set weight**: percent of traffic (1-100, rising) to the new version. **Pause**: until approved in the CDaaS console, or for a duration. Traffic goes to 100% after the last step.',
  'cdaas.deploy.activeService':
    'The Kubernetes Service that carries production traffic. Offered: the Services in the manifests and those on the target cluster (from the agent cache); any other name or a ${expression} can be typed.',
  'cdaas.deploy.previewService': 'Optional. A Service, other than the active one, that reaches the new version before it is promoted.',
  'cdaas.deploy.redirectTrafficAfter': 'Pauses before the active service is pointed at the new version.',
  'cdaas.deploy.shutDownOldVersionAfter': 'Pauses before the old version is shut down (kept for a quick rollback).',
  'cdaas.deploy.timeout': 'How long CD-as-a-Service waits for the new version to become ready before it rolls back.',
};
