/**
 * The Services a stage's manifest text defines: what blue/green's active and preview service pickers
 * offer. Text that does not parse offers none (its problems are shown under the editor).
 */
import { parseAllDocuments } from 'yaml';

import { memoizeRecent } from '../common/memoizeRecent';

function servicesIn(text: string): string[] {
  if (!text.trim()) return [];
  const names = new Set<string>();
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length) continue;
    const m = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
    if (m && m.kind === 'Service' && typeof m.metadata?.name === 'string') names.add(m.metadata.name);
  }
  return [...names].sort();
}

// The form re-renders on every keystroke elsewhere; the same text is parsed once.
export const manifestServices: (text: string) => string[] = memoizeRecent(servicesIn);
