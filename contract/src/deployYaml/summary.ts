/**
 * "What was understood": deploy.yml read back in words, so a pipeline author can check that the
 * file says what they meant (which cluster, which strategy, which steps) before running it.
 * Works from the JSON of a possibly invalid document: anything malformed is skipped, never thrown.
 */
import { isSpel } from '../spel';

export interface TargetSummary {
  name: string;
  account: string;
  namespace?: string;
  strategy: string;
  dependsOn: string[];
  /** Constraint steps in words. */
  beforeDeployment: string[];
  afterDeployment: string[];
}
export interface StrategySummary {
  name: string;
  kind: 'canary' | 'blueGreen' | 'unknown';
  /** e.g. "canary: 25% -> wait for approval -> 50% -> wait 5 minutes -> 100%" */
  description: string;
}
export interface ManifestSummary {
  source: 'path' | 'inline';
  /** The path, or "inline manifest 2" for inline text. */
  label: string;
  /** Target names, or undefined for all targets. */
  targets?: string[];
  /** Where the manifest text comes from, in words. */
  origin: string;
}
export interface DeploymentSummary {
  application?: string;
  targets: TargetSummary[];
  strategies: StrategySummary[];
  manifests: ManifestSummary[];
  webhooks: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined) : []);

function plural(n: unknown, unitName: unknown): string {
  const u = str(unitName) ?? '?';
  if (typeof n === 'number' && n === 1 && u.endsWith('s')) return `1 ${u.slice(0, -1)}`;
  return `${str(n) ?? '?'} ${u}`;
}

/** One step (canary, constraint or blue/green) in words. */
export function describeStep(step: unknown): string {
  if (!isObj(step)) return 'an unreadable step';
  const [kind, body] = Object.entries(step)[0] ?? [];
  const b = isObj(body) ? body : {};
  switch (kind) {
    case 'setWeight':
      return `${str(b.weight) ?? '?'}%`;
    case 'pause':
      if (b.untilApproved === true) return 'wait for approval';
      if (isSpel(b.untilApproved)) return `wait for approval if ${b.untilApproved}`;
      return `wait ${plural(b.duration, b.unit)}`;
    case 'runWebhook':
      return `run webhook '${str(b.name) ?? '?'}'`;
    case 'analysis': {
      const queries = strings(b.queries);
      return `analysis${queries.length ? ` (${queries.join(', ')})` : ''}`;
    }
    case 'exposeServices': {
      const services = strings(b.services);
      return `expose ${services.join(', ') || 'services'}${isObj(b.ttl) ? ` for ${plural(b.ttl.duration, b.ttl.unit)}` : ''}`;
    }
    default:
      return `${kind ?? 'an empty step'}`;
  }
}

function describeCanary(steps: unknown): string {
  const words = Array.isArray(steps) ? steps.map(describeStep) : [];
  // CDaaS sends all traffic to the new version after the last step: say so, as the user will see it.
  const weights = Array.isArray(steps) ? steps.filter((s) => isObj(s) && 'setWeight' in s) : [];
  const last = weights[weights.length - 1];
  const lastWeight = isObj(last) && isObj(last.setWeight) ? last.setWeight.weight : undefined;
  if (lastWeight !== 100 && !isSpel(lastWeight)) words.push('100%');
  return `canary: ${words.join(' -> ')}`;
}

function describeBlueGreen(bg: Obj): string {
  const parts = [`blue/green: new version behind ${str(bg.previewService) ? `preview service ${str(bg.previewService)}` : 'no preview service'}`];
  const redirect = Array.isArray(bg.redirectTrafficAfter) ? bg.redirectTrafficAfter.map(describeStep) : [];
  parts.push(`switch ${str(bg.activeService) ?? 'the active service'} to it after ${redirect.length ? redirect.join(' and ') : 'it is ready'}`);
  const shutdown = Array.isArray(bg.shutDownOldVersionAfter) ? bg.shutDownOldVersionAfter.map(describeStep) : [];
  parts.push(`shut down the old version after ${shutdown.length ? shutdown.join(' and ') : 'the switch'}`);
  return parts.join('; ');
}

export function summarizeDeployment(deployment: unknown): DeploymentSummary {
  const d = isObj(deployment) ? deployment : {};
  const targets: TargetSummary[] = [];
  if (isObj(d.targets)) {
    for (const [name, t] of Object.entries(d.targets)) {
      const target = isObj(t) ? t : {};
      const constraints = isObj(target.constraints) ? target.constraints : {};
      targets.push({
        name,
        account: str(target.account) ?? '(no account)',
        ...(str(target.namespace) ? { namespace: str(target.namespace) } : {}),
        strategy: str(target.strategy) ?? '(no strategy)',
        dependsOn: strings(constraints.dependsOn),
        beforeDeployment: Array.isArray(constraints.beforeDeployment) ? constraints.beforeDeployment.map(describeStep) : [],
        afterDeployment: Array.isArray(constraints.afterDeployment) ? constraints.afterDeployment.map(describeStep) : [],
      });
    }
  }
  const strategies: StrategySummary[] = [];
  if (isObj(d.strategies)) {
    for (const [name, s] of Object.entries(d.strategies)) {
      const strategy = isObj(s) ? s : {};
      if (isObj(strategy.canary)) strategies.push({ name, kind: 'canary', description: describeCanary(strategy.canary.steps) });
      else if (isObj(strategy.blueGreen)) strategies.push({ name, kind: 'blueGreen', description: describeBlueGreen(strategy.blueGreen) });
      else strategies.push({ name, kind: 'unknown', description: 'not understood (expected canary or blueGreen)' });
    }
  }
  const manifests: ManifestSummary[] = [];
  if (Array.isArray(d.manifests)) {
    let inlineCount = 0;
    for (const m of d.manifests) {
      if (!isObj(m)) continue;
      const targetsOf = Array.isArray(m.targets) ? { targets: strings(m.targets) } : {};
      if (str(m.path)) {
        manifests.push({ source: 'path', label: str(m.path)!, ...targetsOf, origin: 'a file, bound to a pipeline artifact' });
      } else if (m.inline !== undefined) {
        inlineCount++;
        manifests.push({ source: 'inline', label: `inline manifest ${inlineCount}`, ...targetsOf, origin: 'written inside deploy.yml' });
      }
    }
  }
  const webhooks = Array.isArray(d.webhooks) ? d.webhooks.map((w) => (isObj(w) ? str(w.name) : undefined)).filter((s): s is string => !!s) : [];
  return { ...(str(d.application) ? { application: str(d.application) } : {}), targets, strategies, manifests, webhooks };
}

/** The summary as plain lines (for text views, logs and tests). */
export function summaryLines(s: DeploymentSummary): string[] {
  const lines: string[] = [];
  if (s.application) lines.push(`Application: ${s.application}`);
  for (const t of s.targets) {
    let line = `Target ${t.name}: account ${t.account}${t.namespace ? `, namespace ${t.namespace}` : ''}, strategy ${t.strategy}`;
    if (t.dependsOn.length) line += `; waits for ${t.dependsOn.join(', ')}`;
    if (t.beforeDeployment.length) line += `; before deploying: ${t.beforeDeployment.join(', ')}`;
    if (t.afterDeployment.length) line += `; after deploying: ${t.afterDeployment.join(', ')}`;
    lines.push(line);
  }
  for (const st of s.strategies) lines.push(`Strategy ${st.name}: ${st.description}`);
  for (const m of s.manifests) lines.push(`Manifest ${m.label}: ${m.origin}, to ${m.targets ? m.targets.join(', ') : 'all targets'}`);
  if (s.webhooks.length) lines.push(`Webhooks: ${s.webhooks.join(', ')}`);
  return lines;
}
