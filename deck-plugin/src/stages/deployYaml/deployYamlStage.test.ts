import { ExecutionDetailsTasks } from '@spinnaker/core';
import type { IStage } from '@spinnaker/core';

import { CdaasDeploymentDetails } from '../common/executionDetails';
import { cdaasDeployYamlStage } from './deployYamlStage';
import { webhookFieldsFor, type DeployYamlStage } from './model';

const BRIDGE = 'http://cdaas-bridge.spinnaker.svc:7002';
import { validateDeployYamlStage } from './validators';

const stage = (cdaas: DeployYamlStage['cdaas']): DeployYamlStage => ({ type: 'cdaasDeployYaml', name: 'Deploy', refId: '7', requisiteStageRefIds: [], cdaas });

describe('cdaasDeployYamlStage registration', () => {
  it('runs as an Orca Webhook stage and shows CDaaS details before the task list', () => {
    expect(cdaasDeployYamlStage).toMatchObject({ key: 'cdaasDeployYaml', label: 'CD-as-a-Service Deployment YAML', alias: 'webhook', addAliasToConfig: true });
    // The CDaaS section is index.js's lazy stand-in, matched by Deck through the same title.
    expect(cdaasDeployYamlStage.executionDetailsSections?.map((s) => s.title)).toEqual([CdaasDeploymentDetails.title, ExecutionDetailsTasks.title]);
    expect(cdaasDeployYamlStage.executionDetailsSections?.[1]).toBe(ExecutionDetailsTasks);
  });

  it('tells Deck which expected artifacts it consumes, and forgets one Deck removes', () => {
    const s = stage({
      source: 'artifact',
      yaml: '',
      deployYamlArtifactId: 'ea-deploy',
      bindings: [{ path: 'a.yml', expectedArtifactId: 'ea-a' }, { path: 'b.yml' }],
    });
    expect(cdaasDeployYamlStage.artifactExtractor!(s)).toEqual(['ea-deploy', 'ea-a']);
    cdaasDeployYamlStage.artifactRemover!(s, 'ea-a');
    expect(s.cdaas!.bindings).toEqual([{ path: 'a.yml' }, { path: 'b.yml' }]);
    cdaasDeployYamlStage.artifactRemover!(s, 'ea-deploy');
    expect(s.cdaas!.deployYamlArtifactId).toBeUndefined();
  });
});

describe('validateDeployYamlStage', () => {
  it('asks for a deploy.yml and for the deploy.yml artifact', () => {
    expect(validateDeployYamlStage(stage(undefined) as IStage)).toEqual({ cdaas: { yaml: 'deploy.yml is empty: paste or write the deploy.yml to run.' } });
    expect(validateDeployYamlStage(stage({ source: 'artifact' }) as IStage)).toEqual({ cdaas: { deployYamlArtifactId: 'Choose the artifact that holds deploy.yml.' } });
  });

  it('names the first deploy.yml error with its position', () => {
    const errors = validateDeployYamlStage(stage({ yaml: 'version: v1\nkind: kubernetes\napplication: shop\ntargets: {}\nmanifests: []\n' }) as IStage);
    expect(errors.cdaas?.yaml).toBe('deploy.yml has 2 errors; first: line 4, column 10: targets: at least one target is needed');
  });

  it('refuses the reserved deploy.yml path for a manifest, and names several unbound paths', () => {
    const reserved = stage({ source: 'artifact', deployYamlArtifactId: 'ea', bindings: [{ path: 'deploy.yml', expectedArtifactId: 'x' }] });
    expect(validateDeployYamlStage(reserved as IStage).cdaas?.bindings).toMatch(/^The manifest path deploy.yml is reserved for the deploy.yml artifact itself/);
    const many = stage({ source: 'artifact', deployYamlArtifactId: 'ea', bindings: ['a', 'b', 'c', 'd'].map((p) => ({ path: `${p}.yml` })) });
    expect(validateDeployYamlStage(many as IStage).cdaas?.bindings).toBe(
      'Bind an artifact to manifest paths a.yml, b.yml, c.yml and 1 more: CD-as-a-Service reads the manifest text from it.',
    );
  });
});

describe('webhookFieldsFor', () => {
  it('sends only bindings for paths deploy.yml still lists (a renamed path keeps its old binding aside)', () => {
    const yaml = 'version: v1\nkind: kubernetes\napplication: shop\ntargets:\n  prod: {account: a, strategy: s}\nmanifests:\n  - path: new.yml\nstrategies:\n  s: {canary: {steps: [{setWeight: {weight: 100}}]}}\n';
    const fields = webhookFieldsFor(stage({ yaml, bindings: [{ path: 'old.yml', expectedArtifactId: 'ea-old' }, { path: 'new.yml', expectedArtifactId: 'ea-new' }] }), { application: 'shop', bridgeUrl: BRIDGE });
    expect(fields.payload.artifacts.map((a) => a.path)).toEqual(['new.yml']);
    expect(fields.payload.deployment).toMatchObject({ application: 'shop', manifests: [{ path: 'new.yml' }] });
    expect(fields.url).toBe('http://cdaas-bridge.spinnaker.svc:7002/v1/executions/${execution.id}/stages/7/deployment');
  });
});
