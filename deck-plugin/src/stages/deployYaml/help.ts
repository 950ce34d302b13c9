/** Help texts for the YAML stage, registered through plugin.help and shown by HelpField. */
export const deployYamlHelp: Record<string, string> = {
  'cdaas.deployYaml.source':
    '<p>Where the deploy.yml comes from: written here, or a pipeline artifact (for example the file in your Git repository).</p>',
  'cdaas.deployYaml.yaml':
    '<p>A whole CD-as-a-Service deploy.yml: <code>version</code>, <code>kind</code>, <code>application</code>, <code>targets</code>, <code>manifests</code>, <code>strategies</code> and optionally <code>analysis</code>, <code>webhooks</code> and <code>trafficManagement</code>.</p>' +
    '<p>It is checked as you type. Spinnaker expressions such as <code>${parameters.weight}</code> are allowed anywhere a value goes; Spinnaker evaluates them when the stage starts.</p>',
  'cdaas.deployYaml.artifact':
    '<p>The artifact holding deploy.yml. Its content is not known while you edit the pipeline: the CD-as-a-Service bridge fetches and checks it when the stage runs, and the stage fails with the file\'s problems if it is invalid.</p>',
  'cdaas.deployYaml.manifests':
    '<p>Each <code>manifests[].path</code> of deploy.yml names a file; in Spinnaker that file comes from a pipeline artifact (from the trigger or an earlier stage such as Bake (Manifest)). Bind one artifact to each path.</p>' +
    '<p>Inline manifests (<code>inline:</code>) need no artifact.</p>',
  'cdaas.deployYaml.summary':
    '<p>deploy.yml read back in words: where each target deploys, with which strategy and steps, and where each manifest comes from. Check it says what you meant.</p>',
};
