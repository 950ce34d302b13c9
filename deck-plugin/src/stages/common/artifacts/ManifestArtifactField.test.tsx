import type { IPipeline, IStage } from '@spinnaker/core';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { ManifestArtifactField } from './ManifestArtifactField';

const stage = { refId: '2', requisiteStageRefIds: ['1'], name: 'Deploy', type: 'cdaasDeployYaml' } as unknown as IStage;
const bake = {
  refId: '1',
  requisiteStageRefIds: [],
  name: 'Bake (Manifest)',
  type: 'bakeManifest',
  expectedArtifacts: [
    { id: 'ea-baked', displayName: 'baked shop manifest', matchArtifact: { type: 'embedded/base64', name: 'shop' } },
  ],
};
const pipeline = {
  stages: [bake, stage],
  expectedArtifacts: [
    { id: 'ea-http', displayName: 'manifest from the CDN', matchArtifact: { type: 'http/file', name: 'https://cdn.example.com/shop.yaml' } },
    { id: 'ea-s3', displayName: 'manifest in S3', matchArtifact: { type: 's3/object', name: 's3://shop/deploy.yaml' } },
  ],
} as unknown as IPipeline;

function Harness(props: { initial?: string; onChange?: (id?: string, type?: string) => void }) {
  const [id, setId] = React.useState(props.initial);
  return (
    <ManifestArtifactField
      label="manifests/shop.yaml"
      stage={stage}
      pipeline={pipeline}
      expectedArtifactId={id}
      onChange={(next, match) => {
        setId(next);
        props.onChange?.(next, match?.type);
      }}
    />
  );
}

describe('ManifestArtifactField', () => {
  it('offers the pipeline and upstream expected artifacts, disabling types the bridge cannot read', async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    const select = screen.getByRole('combobox', { name: 'manifests/shop.yaml' });
    expect(within(select).getAllByRole('option').map((o) => [o.textContent, (o as HTMLOptionElement).disabled])).toEqual([
      ['Select an expected artifact…', false],
      ['manifest from the CDN (http/file)', false],
      ['manifest in S3 (s3/object): not readable by CD-as-a-Service', true],
      ['baked shop manifest (embedded/base64)', false],
    ]);
    await userEvent.selectOptions(select, 'ea-baked');
    expect(onChange).toHaveBeenLastCalledWith('ea-baked', 'embedded/base64');
    await userEvent.selectOptions(select, '');
    expect(onChange).toHaveBeenLastCalledWith(undefined, undefined);
  });

  it('explains an unreadable type or a missing artifact that was saved before', () => {
    const { unmount } = render(<Harness initial="ea-s3" />);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'CD-as-a-Service cannot read s3/object artifacts ("manifest in S3"); use one of embedded/base64, http/file, github/file, or paste the manifest as text.',
    );
    expect(screen.getByRole('combobox', { name: 'manifests/shop.yaml' })).toHaveAttribute('aria-invalid', 'true');
    unmount();
    render(<Harness initial="ea-deleted" />);
    expect(screen.getByRole('combobox', { name: 'manifests/shop.yaml' })).toHaveValue('ea-deleted');
    expect(screen.getByRole('alert')).toHaveTextContent('The expected artifact ea-deleted is not available to this stage');
  });
});
