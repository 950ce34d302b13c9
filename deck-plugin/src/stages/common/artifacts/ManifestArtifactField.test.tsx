import type { IPipeline, IStage } from '@spinnaker/core';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { useDeckRestOverFetch } from '../../../../test/deckRest';
import { artifactAccountsHandler } from '../../../../test/fixtures/artifactAccounts';
import { setupMsw } from '../../../../test/msw';
import type { ArtifactChoice } from './artifactChoice';
import { ManifestArtifactField } from './ManifestArtifactField';

const server = setupMsw();
useDeckRestOverFetch();

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

function Harness(props: { initial?: ArtifactChoice; onChange?: (next: ArtifactChoice) => void }) {
  const [value, setValue] = React.useState(props.initial);
  return (
    <ManifestArtifactField
      label="manifests/shop.yaml"
      stage={stage}
      pipeline={pipeline}
      value={value}
      onChange={(next) => {
        setValue(next);
        props.onChange?.(next);
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
      ['Select an artifact…', false],
      ['manifest from the CDN (http/file)', false],
      ['manifest in S3 (s3/object): not readable by CD-as-a-Service', true],
      ['baked shop manifest (embedded/base64)', false],
      ['Define a new artifact...', false],
    ]);
    await userEvent.selectOptions(select, 'ea-baked');
    expect(onChange).toHaveBeenLastCalledWith({ source: 'expected', expectedArtifactId: 'ea-baked' });
    await userEvent.selectOptions(select, '');
    expect(onChange).toHaveBeenLastCalledWith({ source: 'expected' });
  });

  it('explains an unreadable type or a missing artifact that was saved before', () => {
    const { unmount } = render(<Harness initial={{ expectedArtifactId: 'ea-s3' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'CD-as-a-Service cannot read s3/object artifacts ("manifest in S3"); use one of embedded/base64, http/file, github/file, or paste the manifest as text.',
    );
    expect(screen.getByRole('combobox', { name: 'manifests/shop.yaml' })).toHaveAttribute('aria-invalid', 'true');
    unmount();
    render(<Harness initial={{ expectedArtifactId: 'ea-deleted' }} />);
    expect(screen.getByRole('combobox', { name: 'manifests/shop.yaml' })).toHaveValue('ea-deleted');
    expect(screen.getByRole('alert')).toHaveTextContent('The expected artifact ea-deleted is not available to this stage');
  });

  it('defines a new artifact in place, keeping the expected artifact picked before (and the other way round)', async () => {
    server.use(artifactAccountsHandler());
    const onChange = vi.fn();
    render(<Harness initial={{ expectedArtifactId: 'ea-http' }} onChange={onChange} />);
    const select = screen.getByRole('combobox', { name: 'manifests/shop.yaml' });
    await userEvent.selectOptions(select, 'Define a new artifact...');
    expect(onChange).toHaveBeenNthCalledWith(1, { source: 'inline', expectedArtifactId: 'ea-http', inline: { type: 'http/file' } });
    const editor = screen.getByRole('group', { name: 'manifests/shop.yaml: inline artifact' });
    await waitFor(() => expect(within(editor).getByRole('combobox', { name: 'manifests/shop.yaml Account' })).toHaveValue('http-artifacts'));
    await userEvent.type(within(editor).getByRole('textbox', { name: 'manifests/shop.yaml URL' }), 'https://cdn.example.com/shop.yaml');
    await userEvent.selectOptions(select, 'ea-baked');
    expect(onChange).toHaveBeenLastCalledWith({
      source: 'expected',
      expectedArtifactId: 'ea-baked',
      inline: { type: 'http/file', artifactAccount: 'http-artifacts', reference: 'https://cdn.example.com/shop.yaml' },
    });
    expect(screen.queryByRole('group', { name: 'manifests/shop.yaml: inline artifact' })).toBeNull();
    await userEvent.selectOptions(select, 'Define a new artifact...');
    expect(screen.getByRole('textbox', { name: 'manifests/shop.yaml URL' })).toHaveValue('https://cdn.example.com/shop.yaml');
  });

  it('names an inline artifact type CD-as-a-Service cannot read, saved by hand', async () => {
    server.use(artifactAccountsHandler());
    render(<Harness initial={{ source: 'inline', inline: { type: 'gcs/object', reference: 'gs://shop/app.yml' } }} />);
    const type = screen.getByRole('combobox', { name: 'manifests/shop.yaml Type' });
    expect(type).toHaveValue('gcs/object');
    expect(type).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('CD-as-a-Service cannot read gcs/object artifacts; use one of embedded/base64, http/file, github/file.')).toBeInTheDocument();
    // What was saved is shown as it is (nothing lost), with the accounts Deck has for that type.
    const account = screen.getByRole('combobox', { name: 'manifests/shop.yaml Account' });
    await waitFor(() => expect(within(account).getAllByRole('option').map((o) => o.textContent)).toEqual(['No account', 'gcs-artifacts']));
  });
});
