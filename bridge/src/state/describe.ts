/**
 * The ledger's view of a start: which targets (deploy.yml `targets`) and which Kubernetes objects
 * (each manifest document's kind/name/namespace, on each target account it goes to). Read from
 * the body the bridge is about to send, so it names exactly what CDaaS is asked to deploy;
 * anything unreadable is skipped, never thrown (CDaaS judges the manifests, not the ledger).
 */
import { parseAllDocuments } from 'yaml';

import { summarizeDeployment } from '@cdaas/contract/deployYaml';
import type { StartPipelineBody } from '../cdaas/client';
import type { LedgerEntry } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

function objectsIn(text: string): { kind: string; name: string; namespace?: string }[] {
  const out: { kind: string; name: string; namespace?: string }[] = [];
  try {
    for (const doc of parseAllDocuments(text)) {
      if (!('toJS' in doc) || doc.errors.length) continue;
      const value: unknown = doc.toJS();
      const meta = isObj(value) && isObj(value.metadata) ? value.metadata : undefined;
      const kind = isObj(value) ? str(value.kind) : undefined;
      const name = str(meta?.name);
      if (kind && name) out.push({ kind, name, ...(str(meta?.namespace) ? { namespace: str(meta?.namespace) } : {}) });
    }
  } catch {
    /* unreadable text: nothing to list */
  }
  return out;
}

export function describeStart(body: StartPipelineBody): Pick<LedgerEntry, 'targets' | 'resources'> {
  const summary = summarizeDeployment(body);
  const targets = summary.targets
    .filter((t) => t.account !== '(no account)')
    .map((t) => ({ name: t.name, account: t.account, ...(t.namespace ? { namespace: t.namespace } : {}) }));
  const resources: LedgerEntry['resources'] = [];
  const manifests = Array.isArray(body.manifests) ? body.manifests : [];
  for (const m of manifests) {
    if (!isObj(m)) continue;
    const path = str(m.path);
    // Armory's reference writes `inline: {value: |...}`; a bare string is accepted too.
    const inline = isObj(m.inline) ? m.inline.value : m.inline;
    const texts = path ? body.files[path] ?? [] : typeof inline === 'string' ? [inline] : [];
    const only = Array.isArray(m.targets) ? new Set(m.targets.filter((t): t is string => typeof t === 'string')) : undefined;
    for (const target of targets.filter((t) => !only || only.has(t.name))) {
      for (const text of texts) {
        for (const o of objectsIn(text)) {
          // CDaaS deploys a target's manifests into the target's namespace when it names one.
          const namespace = target.namespace ?? o.namespace;
          resources.push({ account: target.account, ...(namespace ? { namespace } : {}), kind: o.kind, name: o.name });
        }
      }
    }
  }
  return { targets, resources };
}
