/**
 * A release's `requires`: comma list of `<service><op><version>`, as kork's
 * VersionRequirementsParser reads it (`deck>=0.0.0`, optionally a range `orca>=1.0.0 & <2.0.0`).
 */

export interface Requirement {
  service: string;
  operator: '>' | '<' | '>=' | '<=';
  version: string;
}

const PART = /^([\w-]+)(>=|<=|>|<)(\d+\.\d+\.\d+)(?: & (>=|<=|>|<)(\d+\.\d+\.\d+))?$/;

export type ParsedRequires = { ok: true; requirements: Requirement[] } | { ok: false; problem: string };

export function parseRequires(requires: string): ParsedRequires {
  const requirements: Requirement[] = [];
  for (const raw of requires.split(',')) {
    const part = raw.trim();
    const m = PART.exec(part);
    if (!m) {
      return {
        ok: false,
        problem: `"${part}" is not <service><op><version> (e.g. deck>=0.0.0; op one of >, <, >=, <=)`,
      };
    }
    requirements.push({ service: m[1], operator: m[2] as Requirement['operator'], version: m[3] });
    if (m[4] && m[5]) requirements.push({ service: m[1], operator: m[4] as Requirement['operator'], version: m[5] });
  }
  return { ok: true, requirements };
}

/**
 * Gate's test when it cannot know Deck's version (SpinnakerUpdateManager.getLastPluginRelease):
 * the release applies to Deck when its `requires` mentions deck.
 */
export function requiresService(requires: string, service: string): boolean {
  const parsed = parseRequires(requires);
  if (parsed.ok) return parsed.requirements.some((r) => r.service.toLowerCase() === service.toLowerCase());
  return requires.toLowerCase().includes(service.toLowerCase());
}
