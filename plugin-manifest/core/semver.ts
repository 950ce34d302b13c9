/**
 * Semantic Versioning 2.0.0: parse and order. Written here (a few lines) rather than taken from a
 * transitive dependency: release ordering and Gate's "highest release" choice both hang on it.
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly (string | number)[];
  build: string;
  raw: string;
}

// The regular expression semver.org publishes for SemVer 2.0.0 (no leading "v", no leading zeros).
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function parseSemver(raw: string): SemVer | undefined {
  const m = SEMVER.exec(raw);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [],
    build: m[5] ?? '',
    raw,
  };
}

export function isSemver(raw: string): boolean {
  return parseSemver(raw) !== undefined;
}

/** Why a string is not a version, in words an admin can act on. */
export function semverProblem(raw: string): string | undefined {
  if (isSemver(raw)) return undefined;
  if (/^v\d/.test(raw)) return `"${raw}" starts with "v": give the bare version (${raw.slice(1)})`;
  return `"${raw}" is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.3 or 1.2.3-rc.1)`;
}

/** Negative when a < b. Build metadata does not take part, as the spec says. */
export function compareSemver(a: SemVer, b: SemVer): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  // A version without prerelease ranks above the same version with one.
  if (!a.prerelease.length || !b.prerelease.length) return b.prerelease.length - a.prerelease.length;
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersionStrings(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) throw new Error(`cannot compare non-semver versions "${a}" and "${b}"`);
  return compareSemver(pa, pb);
}
