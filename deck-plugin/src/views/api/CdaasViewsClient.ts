/**
 * The infrastructure views' read methods (per-agent namespaces, deployments, replica sets, and an
 * application's CDaaS deployments), on top of the account picker's client. A class behind an
 * interface: views get it from ViewsApiContext, tests give it msw-backed fetch.
 */
import * as v from 'valibot';

import type { ApplicationDeployment, ClusterError, KubeDeployment, KubeNamespace, KubeReplicaSet } from '@cdaas/contract/read';
import {
  applicationDeploymentSchema,
  clusterErrorSchema,
  deploymentSchema,
  namespaceSchema,
  readRoutes,
  replicaSetSchema,
} from '@cdaas/contract/read';
import type { CdaasReadApi } from '../../api/CdaasReadClient';
import { CdaasReadClient, describeIssues, parseEntries } from '../../api/CdaasReadClient';
import { readErrorFromInvalid } from '../../api/readErrors';

/** One cluster's objects, with the errors that cut the list short (data, not a failure). */
export interface ClusterItems<T> {
  cluster: string;
  items: T[];
  errors: ClusterError[];
  /** Entries of the answer that did not match the contract, worded. */
  skipped: string[];
}

export interface ApplicationDeployments {
  application: string;
  deployments: ApplicationDeployment[];
  skipped: string[];
}

export interface CdaasViewsApi extends CdaasReadApi {
  listNamespaces(agent: string, signal?: AbortSignal): Promise<ClusterItems<KubeNamespace>>;
  listDeployments(agent: string, signal?: AbortSignal): Promise<ClusterItems<KubeDeployment>>;
  listReplicaSets(agent: string, signal?: AbortSignal): Promise<ClusterItems<KubeReplicaSet>>;
  listApplicationDeployments(application: string, signal?: AbortSignal): Promise<ApplicationDeployments>;
}

const itemsEnvelopeSchema = v.object({
  cluster: v.string(),
  items: v.array(v.unknown()),
  errors: v.array(clusterErrorSchema),
});
const appEnvelopeSchema = v.object({ application: v.string(), deployments: v.array(v.unknown()) });

export class CdaasViewsClient extends CdaasReadClient implements CdaasViewsApi {
  public listNamespaces(agent: string, signal?: AbortSignal): Promise<ClusterItems<KubeNamespace>> {
    return this.clusterItems(readRoutes.namespaces.path({ agent: agent }), namespaceSchema, 'namespaces', 'Namespace', signal);
  }

  public listDeployments(agent: string, signal?: AbortSignal): Promise<ClusterItems<KubeDeployment>> {
    return this.clusterItems(readRoutes.deployments.path({ agent: agent }), deploymentSchema, 'deployments', 'Deployment', signal);
  }

  public listReplicaSets(agent: string, signal?: AbortSignal): Promise<ClusterItems<KubeReplicaSet>> {
    return this.clusterItems(readRoutes.replicaSets.path({ agent: agent }), replicaSetSchema, 'replica sets', 'Replica set', signal);
  }

  public async listApplicationDeployments(application: string, signal?: AbortSignal): Promise<ApplicationDeployments> {
    const body = await this.getJson(readRoutes.applicationDeployments.path({ application: application }), signal);
    const envelope = v.safeParse(appEnvelopeSchema, body);
    if (!envelope.success) throw readErrorFromInvalid("the application's deployments", describeIssues(envelope.issues));
    const { items, skipped } = parseEntries(applicationDeploymentSchema, envelope.output.deployments, 'Deployment');
    return { application: envelope.output.application, deployments: items, skipped };
  }

  private async clusterItems<T>(
    path: string,
    schema: v.GenericSchema<unknown, T>,
    what: string,
    entryName: string,
    signal?: AbortSignal,
  ): Promise<ClusterItems<T>> {
    const body = await this.getJson(path, signal);
    const envelope = v.safeParse(itemsEnvelopeSchema, body);
    if (!envelope.success) throw readErrorFromInvalid(`a list of ${what}`, describeIssues(envelope.issues));
    const { items, skipped } = parseEntries(schema, envelope.output.items, entryName);
    return { cluster: envelope.output.cluster, items, errors: envelope.output.errors, skipped };
  }
}
