import type { IPipeline, IStage } from '@spinnaker/core';

import { defaultFormValues } from './formValues';
import type { CdaasDeployFormValues } from './formValues';
import { validateCdaasDeployStage, validateOncePerTask } from './validate';

const MANIFEST = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';

function stageWith(change: (v: CdaasDeployFormValues) => void): IStage {
  const cdaas = { ...defaultFormValues('shop'), account: 'prod-eu-west-1', manifestText: MANIFEST };
  change(cdaas);
  return { refId: '1', requisiteStageRefIds: [], name: 'Deploy', type: 'cdaasDeploy', cdaas } as unknown as IStage;
}
const pipeline = { stages: [], expectedArtifacts: [] } as unknown as IPipeline;
const validate = (change: (v: CdaasDeployFormValues) => void) => validateCdaasDeployStage(stageWith(change), { pipeline });

describe('validateCdaasDeployStage', () => {
  it('returns {} for a complete stage', () => {
    expect(validate(() => undefined)).toEqual({});
  });

  it('requires an account, with a message that names the field', () => {
    expect(validate((v) => (v.account = '  '))).toEqual({
      cdaas: { account: 'Account is required: choose the agent of the target cluster.' },
    });
  });

  it('leaves Spinnaker expressions to run time wherever a value may come from the pipeline', () => {
    expect(
      validate((v) => {
        v.account = '${parameters.cluster}';
        v.namespace = '${parameters.namespace}';
        v.canarySteps = [
          { kind: 'setWeight', weight: '${parameters.first}' },
          { kind: 'pauseDuration', duration: '${parameters.wait}', unit: 'minutes' },
          { kind: 'setWeight', weight: '100' },
        ];
        v.timeout.duration = '${parameters.timeout}';
      }),
    ).toEqual({});
  });

  it('checks every weight and duration, and that weights rise', () => {
    const errors = validate((v) => {
      v.canarySteps = [
        { kind: 'setWeight', weight: '50' },
        { kind: 'setWeight', weight: '50' },
        { kind: 'pauseDuration', duration: '-1', unit: 'minutes' },
        { kind: 'setWeight', weight: '0' },
      ];
    });
    expect(errors).toEqual({
      cdaas: {
        canarySteps: [
          undefined,
          { weight: 'Canary step 2 weight (%) must be higher than the previous weight (50%)' },
          { duration: 'Canary step 3 duration cannot be less than 1' },
          { weight: 'Canary step 4 weight (%) cannot be less than 1' },
        ],
      },
    });
  });

  it('blue/green needs an active service with a Kubernetes name', () => {
    expect(
      validate((v) => {
        v.strategy = 'blueGreen';
        v.blueGreen.previewService = 'Preview_Svc';
      }),
    ).toEqual({
      cdaas: {
        blueGreen: {
          activeService: 'Active service is required.',
          previewService:
            'Preview service "Preview_Svc" is not a valid Kubernetes name (lowercase letters, digits and "-", at most 63 characters).',
        },
      },
    });
  });

  it('checks the manifest text with its positions, and only when the source is text', () => {
    const errors = validate((v) => (v.manifestText = 'apiVersion: v1\nkind: [unclosed\n'));
    expect((errors as { cdaas: { manifestText: string } }).cdaas.manifestText).toMatch(/^Manifest YAML: line \d+, column \d+: /);
    expect(validate((v) => ((v.manifestText = ''), (v.manifestSource = 'artifact'), (v.manifestArtifacts = [{}])))).toEqual({
      cdaas: { manifestArtifacts: [{ expectedArtifactId: 'Manifest artifact 1: Select the expected artifact that holds the manifest.' }] },
    });
  });

  it('refuses an expected artifact the stage cannot see', () => {
    const errors = validate((v) => {
      v.manifestSource = 'artifact';
      v.manifestArtifacts = [{ expectedArtifactId: 'gone' }];
    });
    expect(JSON.stringify(errors)).toContain('The expected artifact gone is not available to this stage');
  });

  it('requires a positive deployment timeout', () => {
    expect(validate((v) => (v.timeout.duration = '0'))).toEqual({
      cdaas: { timeout: { duration: 'Deployment timeout cannot be less than 1' } },
    });
  });

  it("words numbers as Deck's own number fields do, plus whole numbers", () => {
    const steps = (weight: string) =>
      validate((v) => (v.canarySteps = [{ kind: 'setWeight', weight }])) as unknown as { cdaas: { canarySteps: Array<{ weight?: string }> } };
    expect(steps('').cdaas.canarySteps[0]!.weight).toBe('Canary step 1 weight (%) is required.');
    expect(steps('abc').cdaas.canarySteps[0]!.weight).toBe('Canary step 1 weight (%) must be a number');
    expect(steps('101').cdaas.canarySteps[0]!.weight).toBe('Canary step 1 weight (%) cannot be greater than 100');
    expect(steps('12.5').cdaas.canarySteps[0]!.weight).toBe('Canary step 1 weight (%) must be a whole number');
    expect(validate((v) => (v.timeout.duration = '1.5'))).toEqual({ cdaas: { timeout: { duration: 'Deployment timeout must be a whole number' } } });
  });

  it('refuses a preview service that is the active one', () => {
    const errors = validate((v) => {
      v.strategy = 'blueGreen';
      v.blueGreen.activeService = 'shop-web';
      v.blueGreen.previewService = ' shop-web ';
    });
    expect(errors).toEqual({
      cdaas: { blueGreen: { previewService: 'Preview service "shop-web" is also the active service: choose another Service for the preview, or leave it empty.' } },
    });
  });
});

describe('validateOncePerTask', () => {
  it("answers the same values object asked twice in one task (SpinFormik's two mount validations) with the first answer", () => {
    const validateForm = validateOncePerTask();
    const stage = stageWith((v) => (v.account = ''));
    const first = validateForm(stage, { pipeline });
    expect(first).toEqual({ cdaas: { account: 'Account is required: choose the agent of the target cluster.' } });
    expect(validateForm(stage, { pipeline })).toBe(first);
    // Other values are checked, with the same words as the plain validator.
    const other = stageWith((v) => (v.namespace = 'Shop'));
    expect(validateForm(other, { pipeline })).toEqual(validateCdaasDeployStage(other, { pipeline }));
  });

  it('checks again after the task: Deck changes its live stage object in place', async () => {
    const validateForm = validateOncePerTask();
    const stage = stageWith(() => undefined);
    expect(validateForm(stage, { pipeline })).toEqual({});
    (stage.cdaas as CdaasDeployFormValues).account = '';
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(validateForm(stage, { pipeline })).toEqual({ cdaas: { account: 'Account is required: choose the agent of the target cluster.' } });
  });
});
