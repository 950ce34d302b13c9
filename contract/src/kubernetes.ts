/**
 * The Kubernetes versions CD-as-a-Service deploys to, judged the same way by the bridge's read
 * listener (a cluster's `supported`), the emulator (its start warning) and Deck (the words shown).
 */

/** The oldest Kubernetes version CD-as-a-Service deploys to. */
export const MIN_KUBERNETES_VERSION = '1.16';

export interface KubernetesVersion {
  major: number;
  minor: number;
}

/** "v1.15.3", "1.16", "1.21.0-eks-1" -> major and minor; undefined when unreadable. */
export function parseKubernetesVersion(version: string): KubernetesVersion | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const MIN = parseKubernetesVersion(MIN_KUBERNETES_VERSION)!;

/** At least MIN_KUBERNETES_VERSION or not; undefined when the version is unreadable. */
export function kubernetesSupported(version: string): boolean | undefined {
  const v = parseKubernetesVersion(version);
  if (!v) return undefined;
  return v.major > MIN.major || (v.major === MIN.major && v.minor >= MIN.minor);
}
