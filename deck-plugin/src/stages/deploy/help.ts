/** Help texts of the "CD-as-a-Service Deploy" stage, registered through `plugin.help` (Markdown). */
export const deployHelp: Record<string, string> = {
  'cdaas.deploy.account':
    'The Kubernetes cluster to deploy to, named by the **agent identifier** of its Remote Network Agent (RNA). ' +
    'The list shows the agents connected to CD-as-a-Service now. These are not Spinnaker (Clouddriver) accounts. ' +
    'You may type an identifier, or a Spinnaker expression such as `${parameters.cluster}`.',
  'cdaas.deploy.namespace':
    'Optional. Deploys every manifest into this namespace, overriding the namespace the manifests set. ' +
    'Accepts a Spinnaker expression.',
  'cdaas.deploy.application':
    'The CD-as-a-Service application the deployment belongs to (it groups deployments in the CDaaS console). ' +
    'Defaults to the Spinnaker application.',
  'cdaas.deploy.manifestSource':
    '**Text**: paste the manifests (several documents separated by `---`). ' +
    '**Artifacts**: use manifests that the trigger or an upstream stage (e.g. Bake (Manifest)) provides as expected artifacts.',
  'cdaas.deploy.manifestText':
    'Kubernetes manifests in YAML, several documents separated by `---`. CD-as-a-Service deploys Deployments with ' +
    'their Services, ConfigMaps, Secrets and other objects; it does not accept ReplicaSets or Pods.',
  'cdaas.deploy.manifestArtifact':
    'An expected artifact of this pipeline that holds manifest YAML. Spinnaker resolves it when the stage starts; ' +
    'CD-as-a-Service reads `embedded/base64`, `http/file` and `github/file` artifacts.',
  'cdaas.deploy.strategy':
    '**Canary** shifts traffic to the new version step by step. **Blue/green** starts the new version beside the old ' +
    'one, then redirects all traffic at once.',
  'cdaas.deploy.canarySteps':
    'Run in order. **Set weight** sends that percentage of traffic (1-100, rising from step to step) to the new version; ' +
    '**Pause** waits for an approval in the CDaaS console or for a duration. Traffic goes to 100% after the last step.',
  'cdaas.deploy.activeService': 'The Kubernetes Service that sends production traffic to the current version.',
  'cdaas.deploy.previewService':
    'Optional. A Kubernetes Service that sends traffic to the new version before it is promoted, for testing.',
  'cdaas.deploy.redirectTrafficAfter': 'Pauses before the active service is pointed at the new version.',
  'cdaas.deploy.shutDownOldVersionAfter': 'Pauses before the old version is shut down, kept for a quick rollback.',
  'cdaas.deploy.timeout':
    'How long CD-as-a-Service waits for each deployment to become ready before it rolls back. ' +
    'Pauses are not counted.',
};
