/**
 * What Deck's global search finds among the views' objects: agents, namespaces and Deployments of
 * every connected agent, read through the bridge. The three result types ask at once for every
 * query, so the lists are read once and kept briefly, not once per type and keystroke.
 */
import type { CdaasViewsApi } from '../api/CdaasViewsClient';
import { queryWords } from '../table/model';

export interface SearchIndex {
  agents: Array<{ agent: string }>;
  namespaces: Array<{ agent: string; name: string }>;
  deployments: Array<{ agent: string; namespace: string; name: string }>;
}

/** How long one read of the lists answers queries: long enough for a burst of typing. */
export const SEARCH_INDEX_TTL_MS = 30_000;

export class CdaasSearchIndex {
  private cached?: { at: number; index: Promise<SearchIndex> };

  constructor(private readonly api: () => CdaasViewsApi, private readonly clock: () => number = Date.now) {}

  public load(): Promise<SearchIndex> {
    const now = this.clock();
    if (this.cached && now - this.cached.at < SEARCH_INDEX_TTL_MS) return this.cached.index;
    const index = this.read();
    this.cached = { at: now, index };
    // A failed read is not kept: the next query tries again.
    index.catch(() => {
      if (this.cached?.index === index) this.cached = undefined;
    });
    return index;
  }

  private async read(): Promise<SearchIndex> {
    const api = this.api();
    const { agents } = await api.listAgents();
    // One agent's failure leaves its namespaces out of the results, not the others'.
    const perAgent = await Promise.all(
      agents.map(async ({ agentIdentifier: agent }) => {
        const [ns, deps] = await Promise.all([api.listNamespaces(agent).catch(() => undefined), api.listDeployments(agent).catch(() => undefined)]);
        return {
          namespaces: (ns?.items ?? []).map((n) => ({ agent, name: n.name })),
          deployments: (deps?.items ?? []).map((d) => ({ agent, namespace: d.namespace, name: d.name })),
        };
      }),
    );
    return {
      agents: agents.map((a) => ({ agent: a.agentIdentifier })),
      namespaces: perAgent.flatMap((p) => p.namespaces),
      deployments: perAgent.flatMap((p) => p.deployments),
    };
  }
}

/** Every word of the query in the text (as the tables filter). */
export function matches(text: string, query: string | undefined): boolean {
  const words = queryWords(query);
  const lower = text.toLowerCase();
  return words.length > 0 && words.every((w) => lower.includes(w));
}
