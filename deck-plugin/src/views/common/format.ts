/** What the views show, worded without React: ages, images, Kubernetes requirements, heartbeats. */
import { kubernetesSupported, MIN_KUBERNETES_VERSION } from '@cdaas/contract/kubernetes';
import { HEARTBEAT_STALE_AFTER_SECONDS } from '@cdaas/contract/read';

/** "4d 3h", "12m", "40s": the two largest units, as Deck's cluster view reads ages. */
export function ageText(iso: string | undefined, now: number): string | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  if (isNaN(ms)) return undefined;
  let s = Math.max(0, Math.floor((now - ms) / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return h ? `${d}d ${h}h` : `${d}d`;
  if (h) return m ? `${h}h ${m}m` : `${h}h`;
  if (m) return `${m}m`;
  return `${s}s`;
}

/** Seconds since an ISO time (for sorting by age), or undefined. */
export function ageSeconds(iso: string | undefined, now: number): number | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  return isNaN(ms) ? undefined : Math.max(0, Math.floor((now - ms) / 1000));
}

/**
 * An image without its registry host, a digest cut to 12 hex digits (as Deck shows docker images):
 * `registry.example.com/team/potato-facts@sha256:0123…` -> `team/potato-facts@0123456789ab`.
 */
export function shortImage(image: string): string {
  const [repoPart, digest] = image.split('@');
  const parts = repoPart!.split('/');
  // A first segment with a dot or a port is a registry host.
  if (parts.length > 1 && /[.:]/.test(parts[0]!)) parts.shift();
  const repo = parts.join('/');
  if (digest) return `${repo}@${digest.replace(/^sha256:/, '').slice(0, 12)}`;
  return repo;
}

/** The first image, short, and how many more there are ("+2 more"). */
export function imagesSummary(images: readonly string[]): { first?: string; more: number } {
  return { first: images[0] ? shortImage(images[0]) : undefined, more: Math.max(0, images.length - 1) };
}

export interface Requirement {
  state: 'passes' | 'fails' | 'unknown';
  text: string;
}

/** CD-as-a-Service deploys to Kubernetes MIN_KUBERNETES_VERSION or later. */
export function kubernetesRequirement(version: string | undefined, supported?: boolean): Requirement {
  // The bridge's `supported` first (it judged with the same contract rule), else the version.
  const ok = supported ?? (version ? kubernetesSupported(version) : undefined);
  if (ok === undefined) return { state: 'unknown', text: 'Kubernetes version not known yet.' };
  return ok
    ? { state: 'passes', text: `Kubernetes ${MIN_KUBERNETES_VERSION} or later: supported.` }
    : {
        state: 'fails',
        text: `CD-as-a-Service requires Kubernetes ${MIN_KUBERNETES_VERSION} or later${version ? `; this cluster runs ${version}` : ''}.`,
      };
}

export function staleAfterSeconds(stated: number | undefined): number {
  return stated ?? HEARTBEAT_STALE_AFTER_SECONDS;
}

/** True when the last heartbeat is older than the threshold (or there is none). */
export function heartbeatStale(lastHeartbeatAt: string | undefined, now: number, thresholdSeconds: number): boolean {
  const age = ageSeconds(lastHeartbeatAt, now);
  return age === undefined || age > thresholdSeconds;
}

/** "2 minutes", "90 seconds": how the threshold is stated beside the flag. */
export function secondsText(seconds: number): string {
  if (seconds % 60 === 0 && seconds >= 120) return `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
