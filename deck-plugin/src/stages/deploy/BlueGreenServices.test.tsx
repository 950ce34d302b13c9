/**
 * Blue/green's service pickers in the Deploy stage form: the manifests' Services and the target
 * cluster's (read through Gate's proxy, msw fail-closed), each labelled by where it is, in every
 * state of the cluster read. Async waits are generous: the read settles 400 ms after the last edit.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';

import { readHandlers } from '../../../test/fixtures/readHandlers';
import { servicesAnswer } from '../../../test/fixtures/agents';
import { setupMsw } from '../../../test/msw';
import { renderStageConfig } from '../../../test/stageHarness';
import { pasteInto } from '../../../test/yamlEditor';
import { CdaasDeployStageConfig } from './CdaasDeployStageConfig';

const server = setupMsw();
const WAIT = { timeout: 10_000 };

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  namespace: shop
---
apiVersion: v1
kind: Service
metadata:
  name: shop-web
  namespace: shop
---
apiVersion: v1
kind: Service
metadata:
  name: shop-web-preview
  namespace: shop
`;

/** Every Services read the form made, as Gate saw it. */
function recordServiceReads(answer: (url: URL) => Response | Promise<Response>) {
  const reads: URL[] = [];
  server.use(
    ...readHandlers({
      services: ({ request }) => {
        const url = new URL(request.url);
        reads.push(url);
        return answer(url);
      },
    }),
  );
  return reads;
}

async function blueGreenFor(account: string) {
  const result = renderStageConfig(CdaasDeployStageConfig);
  await userEvent.selectOptions(await screen.findByRole('combobox', { name: /^Account/ }), account);
  pasteInto('Manifest YAML', MANIFEST);
  await userEvent.click(screen.getByRole('radio', { name: 'Blue/green' }));
  return result;
}

const offered = () => within(screen.getByRole('group', { name: 'Services offered' }));
const options = (input: HTMLElement) =>
  [...(document.getElementById(input.getAttribute('list') ?? '')?.querySelectorAll('option') ?? [])].map((o) => `${o.value}: ${o.label}`);

describe('blue/green service pickers', () => {
  it("offers the manifests' Services and the cluster's, each labelled by where it is, and keeps a typed name", async () => {
    const reads = recordServiceReads(() => HttpResponse.json(servicesAnswer));
    const { saved } = await blueGreenFor('prod-eu-west-1');
    const active = screen.getByRole('combobox', { name: /^Active service/ });
    await waitFor(() => expect(offered().getByText('On the cluster (prod-eu-west-1, namespace shop): shop-web, shop-web-canary.')).toBeInTheDocument(), WAIT);
    expect(offered().getByText('In the manifests: shop-web, shop-web-preview.')).toBeInTheDocument();
    // The manifests' one namespace is where the cluster is read.
    expect(reads.at(-1)?.pathname).toBe('/proxies/cdaas/v1/clusters/prod-eu-west-1/services');
    expect(reads.at(-1)?.searchParams.get('namespace')).toBe('shop');
    expect(options(active)).toEqual([
      'shop-web: in the manifests and on the cluster',
      'shop-web-canary: on the cluster',
      'shop-web-preview: in the manifests',
    ]);
    expect(options(screen.getByRole('combobox', { name: 'Preview service' }))).toEqual(options(active));

    await userEvent.type(active, 'shop-web');
    // Free text: a Service created later, or an expression.
    await userEvent.click(screen.getByRole('combobox', { name: 'Preview service' }));
    await userEvent.paste('${parameters.previewService}');
    await waitFor(() =>
      expect(saved().payload.deployment.trafficManagement).toEqual([
        { targets: ['prod-eu-west-1'], kubernetes: [{ activeService: 'shop-web', previewService: '${parameters.previewService}' }] },
      ]),
    );
  });

  it('reads the namespace override, not the manifests, once it is typed', async () => {
    const reads = recordServiceReads((url) => HttpResponse.json({ ...servicesAnswer, namespace: url.searchParams.get('namespace'), items: [] }));
    await blueGreenFor('prod-eu-west-1');
    await userEvent.type(screen.getByRole('textbox', { name: 'Namespace override' }), 'shop-canary');
    await waitFor(() => expect(offered().getByText('No Services on prod-eu-west-1, namespace shop-canary.')).toBeInTheDocument(), WAIT);
    // Settled, not per keystroke: no read for "s", "sh", ... "shop-canar".
    expect(reads.map((u) => u.searchParams.get('namespace')).filter((n) => n !== 'shop' && n !== 'shop-canary')).toEqual([]);
  });

  it('says it is loading while the cluster read is under way', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    recordServiceReads(async () => {
      await gate;
      return HttpResponse.json(servicesAnswer);
    });
    await blueGreenFor('prod-eu-west-1');
    expect(await offered().findByRole('status', {}, WAIT)).toHaveTextContent('Loading the Services on prod-eu-west-1, namespace shop…');
    release();
    await waitFor(() => expect(offered().queryByRole('status')).not.toBeInTheDocument(), WAIT);
    expect(offered().getByText(/^On the cluster/)).toBeInTheDocument();
  });

  it("words a failed read through readErrors, keeps the manifests' Services offered, and retries", async () => {
    let fail = true;
    recordServiceReads(() =>
      fail ? HttpResponse.json({ error: 'user alice may not read proxy cdaas' }, { status: 403 }) : HttpResponse.json(servicesAnswer),
    );
    await blueGreenFor('prod-eu-west-1');
    const alert = await offered().findByRole('alert', {}, WAIT);
    expect(alert).toHaveTextContent(
      'The Services on prod-eu-west-1 could not be loaded: You are not allowed to read CD-as-a-Service data (HTTP 403): user alice may not read proxy cdaas; ask your Spinnaker admin.',
    );
    expect(options(screen.getByRole('combobox', { name: /^Active service/ }))).toEqual([
      'shop-web: in the manifests',
      'shop-web-preview: in the manifests',
    ]);
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(offered().getByText(/^On the cluster \(prod-eu-west-1, namespace shop\)/)).toBeInTheDocument(), WAIT);
    expect(offered().queryByRole('alert')).not.toBeInTheDocument();
  });

  it("shows one cluster's error from the bridge as data, beside the manifests' Services", async () => {
    recordServiceReads(() =>
      HttpResponse.json({
        cluster: 'prod-eu-west-1',
        namespace: 'shop',
        offered: true,
        items: [],
        errors: [{ kind: 'status', status: 503, message: 'CD-as-a-Service answered HTTP 503 to cacheServices: agent prod-eu-west-1 is not connected' }],
      }),
    );
    await blueGreenFor('prod-eu-west-1');
    expect(await offered().findByRole('alert', {}, WAIT)).toHaveTextContent(
      'The Services on prod-eu-west-1 could not be read: The agent cache answered HTTP 503: agent prod-eu-west-1 is not connected',
    );
    expect(offered().getByText('In the manifests: shop-web, shop-web-preview.')).toBeInTheDocument();
  });

  it('says when the agent cache does not offer Services, without an error', async () => {
    recordServiceReads(() => HttpResponse.json({ cluster: 'prod-eu-west-1', namespace: 'shop', offered: false, items: [], errors: [] }));
    await blueGreenFor('prod-eu-west-1');
    expect(
      await offered().findByText('The agent cache of prod-eu-west-1 does not list Services (its agent does not send them): type the name.', {}, WAIT),
    ).toBeInTheDocument();
    expect(offered().queryByRole('alert')).not.toBeInTheDocument();
  });

  it('reads nothing for an account given as an expression', async () => {
    const reads = recordServiceReads(() => HttpResponse.json(servicesAnswer));
    renderStageConfig(CdaasDeployStageConfig, { stage: { cdaas: { account: '${parameters.account}', strategy: 'blueGreen' } } });
    expect(await screen.findByText('The account is an expression: its cluster is known only when the stage runs.', {}, WAIT)).toBeInTheDocument();
    expect(reads).toEqual([]);
  });

  it('flags a preview service that is the active one', async () => {
    recordServiceReads(() => HttpResponse.json(servicesAnswer));
    await blueGreenFor('prod-eu-west-1');
    await userEvent.type(screen.getByRole('combobox', { name: /^Active service/ }), 'shop-web');
    await userEvent.type(screen.getByRole('combobox', { name: 'Preview service' }), 'shop-web');
    expect(
      await screen.findByText('Preview service "shop-web" is also the active service: choose another Service for the preview, or leave it empty.'),
    ).toBeInTheDocument();
  });
});
