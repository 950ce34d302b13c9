/**
 * The Services a stage's manifest text defines, and the one namespace it targets: what blue/green's
 * active and preview service pickers offer beside the target cluster's Services. Text that does not
 * parse offers none (its problems are shown under the editor).
 */
import { parseAllDocuments } from 'yaml';

import { memoizeRecent } from '../common/memoizeRecent';

interface ManifestFacts {
  services: string[];
  /** The namespace every object that names one names, when there is exactly one. */
  namespace?: string;
}

function factsOf(text: string): ManifestFacts {
  if (!text.trim()) return { services: [] };
  const names = new Set<string>();
  const namespaces = new Set<string>();
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length) continue;
    const m = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (!m || typeof m !== 'object') continue;
    if (typeof m.metadata?.namespace === 'string' && m.metadata.namespace) namespaces.add(m.metadata.namespace);
    if (m.kind === 'Service' && typeof m.metadata?.name === 'string') names.add(m.metadata.name);
  }
  return { services: [...names].sort(), ...(namespaces.size === 1 ? { namespace: [...namespaces][0] } : {}) };
}

// The form re-renders on every keystroke elsewhere; the same text is parsed once.
const manifestFacts = memoizeRecent(factsOf);
export const manifestServices = (text: string): string[] => manifestFacts(text).services;
export const manifestNamespace = (text: string): string | undefined => manifestFacts(text).namespace;

/** Where a Service name offered to the pickers comes from. */
export interface ServiceOption {
  name: string;
  /** "in the manifests", "on the cluster", or both; with the namespace when the cluster list spans several. */
  source: string;
}

/** The manifests' Services and the cluster's, one option per name, each labelled by where it is. */
export function serviceOptions(fromManifests: string[], onCluster: Array<{ name: string; namespace: string }>, namespaced: boolean): ServiceOption[] {
  const where = new Map<string, string[]>();
  const add = (name: string, source: string) => where.set(name, [...(where.get(name) ?? []), source]);
  for (const name of fromManifests) add(name, 'in the manifests');
  const clusterNamespaces = new Map<string, string[]>();
  for (const s of onCluster) clusterNamespaces.set(s.name, [...(clusterNamespaces.get(s.name) ?? []), s.namespace]);
  for (const [name, namespaces] of clusterNamespaces) add(name, namespaced ? 'on the cluster' : `on the cluster (${[...new Set(namespaces)].sort().join(', ')})`);
  return [...where]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, sources]) => ({ name, source: sources.join(' and ') }));
}
