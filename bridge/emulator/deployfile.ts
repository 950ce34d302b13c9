/**
 * Validation of a start-pipeline body (deploy.yml as JSON plus `application`, `files`, `context`)
 * the way the real service checks it, and the step plan that follows from the targets' strategies.
 *
 * Every problem is reported (not only the first), each naming its field path, e.g.
 * `targets.prod.strategy: strategy "rolling" is not defined in strategies (defined: canary-10)`.
 */
import { DURATION_UNITS, durationSeconds, isDurationUnit } from '@cdaas/contract/durations';
import { MIN_KUBERNETES_VERSION, kubernetesSupported } from '@cdaas/contract/kubernetes';
import { parseAllDocuments } from 'yaml';

export interface AgentInfo {
  agentIdentifier: string;
  kubernetesVersion: string;
  connected: boolean;
}

export interface PauseInfo {
  duration?: number;
  unit?: string;
  untilApproved?: boolean;
}

export interface StepPlan {
  ref: string;
  /** CDaaS step types: deployment, pause, webhook, analysis, exposeServices. */
  type: string;
  environment: string;
  dependsOn: string[];
  /** 1-based position in its environment, and the environment's number of steps. */
  step: number;
  totalSteps: number;
  weight?: number;
  pause?: PauseInfo;
  /** Blue/green phase of a deployment step: deployPreview, redirectTraffic, shutDownOldVersion. */
  phase?: string;
  webhook?: string;
  waitsForApproval: boolean;
}

export interface ManifestDoc {
  kind: string;
  name: string;
  namespace?: string;
  replicas?: number;
  images: string[];
}

export interface TargetPlan {
  name: string;
  account: string;
  namespace?: string;
  manifests: ManifestDoc[];
  deploymentId: string;
}

export interface ValidDeployment {
  application: string;
  description?: string;
  context: Record<string, unknown>;
  targets: TargetPlan[];
  steps: StepPlan[];
  ifDeploymentInProgress: 'reject' | 'enqueueOne';
  warnings: string[];
}

export type ValidationResult = { ok: true; value: ValidDeployment } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: Iterable<string>) => [...names].join(', ') || 'none';
const REJECTED_KINDS = ['ReplicaSet', 'Pod'];

export function validateDeployment(
  body: unknown,
  agents: Map<string, AgentInfo>,
  newId: () => string,
): ValidationResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!isObj(body)) return { ok: false, errors: ['body: expected a JSON object (deploy.yml as JSON)'] };

  if (body.version !== 'v1') errors.push(`version: expected "v1", got ${JSON.stringify(body.version ?? null)}`);
  if (body.kind !== 'kubernetes') errors.push(`kind: expected "kubernetes", got ${JSON.stringify(body.kind ?? null)}`);
  const application = typeof body.application === 'string' ? body.application.trim() : '';
  if (!application) errors.push('application: required, a non-empty string');

  // deploymentConfig
  // Armory's documented default is reject (no deploy queue).
  let ifDeploymentInProgress: 'reject' | 'enqueueOne' = 'reject';
  if (body.deploymentConfig !== undefined) {
    const dc = body.deploymentConfig;
    if (!isObj(dc)) errors.push('deploymentConfig: expected an object');
    else {
      if (dc.timeout !== undefined) {
        const before = errors.length;
        checkDuration(dc.timeout, 'deploymentConfig.timeout', errors);
        const t = dc.timeout as Obj;
        const seconds = durationSeconds(t.duration as number, t.unit);
        if (errors.length === before && seconds < 60) errors.push('deploymentConfig.timeout: the minimum timeout is 60 seconds (1 minute)');
      }
      if (dc.ifDeploymentInProgress !== undefined) {
        const s = isObj(dc.ifDeploymentInProgress) ? dc.ifDeploymentInProgress.strategy : undefined;
        if (s === 'reject' || s === 'enqueueOne') ifDeploymentInProgress = s;
        else errors.push(`deploymentConfig.ifDeploymentInProgress.strategy: expected "reject" or "enqueueOne", got ${JSON.stringify(s ?? null)}`);
      }
    }
  }

  // webhooks (names only: steps refer to them)
  const webhooks = new Set<string>();
  if (body.webhooks !== undefined) {
    if (!Array.isArray(body.webhooks)) errors.push('webhooks: expected a list');
    else
      body.webhooks.forEach((w, i) => {
        if (!isObj(w) || typeof w.name !== 'string' || !w.name) errors.push(`webhooks[${i}].name: required`);
        else webhooks.add(w.name);
        if (isObj(w) && (typeof w.uriTemplate !== 'string' || !w.uriTemplate)) errors.push(`webhooks[${i}].uriTemplate: required`);
      });
  }
  const hasAnalysisQueries = isObj(body.analysis) && Array.isArray(body.analysis.queries) && body.analysis.queries.length > 0;
  const trafficActiveService =
    Array.isArray(body.trafficManagement) &&
    body.trafficManagement.some((t) => isObj(t) && Array.isArray(t.kubernetes) && t.kubernetes.some((k) => isObj(k) && typeof k.activeService === 'string'));

  // strategies
  const strategies = new Map<string, Obj>();
  if (body.strategies !== undefined) {
    if (!isObj(body.strategies)) errors.push('strategies: expected an object of named strategies');
    else
      for (const [name, s] of Object.entries(body.strategies)) {
        const at = `strategies.${name}`;
        if (!isObj(s)) {
          errors.push(`${at}: expected an object with canary or blueGreen`);
          continue;
        }
        const kinds = ['canary', 'blueGreen'].filter((k) => s[k] !== undefined);
        if (kinds.length !== 1) {
          errors.push(`${at}: expected exactly one of canary or blueGreen`);
          continue;
        }
        if (s.canary !== undefined) {
          const steps = isObj(s.canary) ? s.canary.steps : undefined;
          if (!Array.isArray(steps) || steps.length === 0) errors.push(`${at}.canary.steps: required, a non-empty list`);
          else steps.forEach((st, i) => checkStep(st, `${at}.canary.steps[${i}]`, ['setWeight', 'pause', 'runWebhook', 'analysis', 'exposeServices'], webhooks, hasAnalysisQueries, errors));
        } else {
          const bg = s.blueGreen;
          if (!isObj(bg)) errors.push(`${at}.blueGreen: expected an object`);
          else {
            for (const key of ['redirectTrafficAfter', 'shutDownOldVersionAfter']) {
              const conds = bg[key];
              if (conds === undefined) continue;
              if (!Array.isArray(conds)) errors.push(`${at}.blueGreen.${key}: expected a list`);
              else conds.forEach((c, i) => checkStep(c, `${at}.blueGreen.${key}[${i}]`, ['pause', 'runWebhook', 'analysis', 'exposeServices'], webhooks, hasAnalysisQueries, errors));
            }
            if (typeof bg.activeService !== 'string' && !trafficActiveService)
              errors.push(`${at}.blueGreen.activeService: required (or a trafficManagement.kubernetes entry with activeService)`);
          }
        }
        strategies.set(name, s);
      }
  }

  // files
  const files = new Map<string, string[]>();
  if (body.files !== undefined && !isObj(body.files)) errors.push('files: expected an object of manifest path to a list of texts');
  else if (isObj(body.files))
    for (const [path, texts] of Object.entries(body.files)) {
      if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) errors.push(`files["${path}"]: expected a list of strings`);
      else files.set(path, texts as string[]);
    }

  // targets
  const targetNames: string[] = [];
  const targetObjs = new Map<string, Obj>();
  if (!isObj(body.targets) || Object.keys(body.targets).length === 0) errors.push('targets: required, at least one target');
  else
    for (const [name, t] of Object.entries(body.targets)) {
      const at = `targets.${name}`;
      if (!isObj(t)) {
        errors.push(`${at}: expected an object`);
        continue;
      }
      targetNames.push(name);
      targetObjs.set(name, t);
      if (typeof t.account !== 'string' || !t.account) errors.push(`${at}.account: required, the identifier of a connected Remote Network Agent`);
      else {
        const agent = agents.get(t.account);
        const connected = [...agents.values()].filter((a) => a.connected).map((a) => a.agentIdentifier);
        if (!agent || !agent.connected)
          errors.push(`${at}.account: agent "${t.account}" is not connected (connected agents: ${list(connected)})`);
        else if (kubernetesSupported(agent.kubernetesVersion) === false)
          warnings.push(
            `Target "${name}" (agent ${agent.agentIdentifier}) runs Kubernetes ${agent.kubernetesVersion}; CD-as-a-Service supports Kubernetes ${MIN_KUBERNETES_VERSION} or later, so this deployment may fail.`,
          );
      }
      if (t.namespace !== undefined && (typeof t.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(t.namespace)))
        errors.push(`${at}.namespace: expected a Kubernetes namespace name, got ${JSON.stringify(t.namespace)}`);
      if (t.strategy !== undefined) {
        if (typeof t.strategy !== 'string' || !strategies.has(t.strategy))
          errors.push(`${at}.strategy: strategy ${JSON.stringify(t.strategy)} is not defined in strategies (defined: ${list(strategies.keys())})`);
      }
      if (t.constraints !== undefined) {
        const c = t.constraints;
        if (!isObj(c)) errors.push(`${at}.constraints: expected an object`);
        else
          for (const key of ['beforeDeployment', 'afterDeployment']) {
            const conds = c[key];
            if (conds === undefined) continue;
            if (!Array.isArray(conds)) errors.push(`${at}.constraints.${key}: expected a list`);
            else conds.forEach((st, i) => checkStep(st, `${at}.constraints.${key}[${i}]`, ['pause', 'runWebhook', 'analysis'], webhooks, hasAnalysisQueries, errors));
          }
      }
    }
  for (const [name, t] of targetObjs) {
    const deps = isObj(t.constraints) ? t.constraints.dependsOn : undefined;
    if (deps === undefined) continue;
    if (!Array.isArray(deps)) errors.push(`targets.${name}.constraints.dependsOn: expected a list of target names`);
    else
      deps.forEach((d, i) => {
        if (typeof d !== 'string' || !targetObjs.has(d))
          errors.push(`targets.${name}.constraints.dependsOn[${i}]: target ${JSON.stringify(d)} is not defined (targets: ${list(targetNames)})`);
        else if (d === name) errors.push(`targets.${name}.constraints.dependsOn[${i}]: a target cannot depend on itself`);
      });
  }
  const order = topoOrder(targetObjs);
  if (!order) errors.push(`targets: constraints.dependsOn forms a cycle (${list(targetNames)})`);

  // manifests
  const manifestsByTarget = new Map<string, ManifestDoc[]>(targetNames.map((n) => [n, []]));
  if (!Array.isArray(body.manifests) || body.manifests.length === 0) errors.push('manifests: required, at least one manifest');
  else
    body.manifests.forEach((m, i) => {
      const at = `manifests[${i}]`;
      if (!isObj(m)) {
        errors.push(`${at}: expected an object with path or inline`);
        return;
      }
      let texts: string[] | undefined;
      if (typeof m.path === 'string' && /^https?:\/\/[^/]/.test(m.path)) {
        // A URL path is fetched by the service, not sent in files (armory-cli skips URLs); the emulator does not fetch it.
        texts = [];
      } else if (typeof m.path === 'string' && m.path) {
        texts = files.get(m.path);
        if (!texts) errors.push(`${at}.path: "${m.path}" is not in files (files: ${list(files.keys())})`);
      } else if (inlineText(m.inline)) {
        texts = [inlineText(m.inline) as string];
      } else errors.push(`${at}: requires path or inline`);
      let forTargets = targetNames;
      if (m.targets !== undefined) {
        if (!Array.isArray(m.targets)) errors.push(`${at}.targets: expected a list of target names`);
        else {
          forTargets = [];
          m.targets.forEach((tn, j) => {
            if (typeof tn !== 'string' || !targetObjs.has(tn)) errors.push(`${at}.targets[${j}]: target ${JSON.stringify(tn)} is not defined (targets: ${list(targetNames)})`);
            else forTargets.push(tn);
          });
        }
      }
      if (!texts) return;
      const source = typeof m.path === 'string' && m.path ? `"${m.path}"` : 'inline';
      const docs = parseManifests(texts, `${at} (${source})`, errors);
      for (const tn of forTargets) manifestsByTarget.get(tn)?.push(...docs);
    });
  const manifestErrors = errors.some((e) => e.startsWith('manifests'));
  const urlManifests = Array.isArray(body.manifests) && body.manifests.some((m) => isObj(m) && typeof m.path === 'string' && /^https?:/.test(m.path));
  for (const [tn, docs] of manifestsByTarget)
    if (docs.length === 0 && !manifestErrors && !urlManifests && Array.isArray(body.manifests) && body.manifests.length > 0)
      errors.push(`targets.${tn}: no manifest applies to this target`);

  if (body.context !== undefined && !isObj(body.context)) errors.push('context: expected an object');

  if (errors.length > 0 || !order) return { ok: false, errors };

  // The plan: steps per target, in dependency order.
  const steps: StepPlan[] = [];
  const lastRefOf = new Map<string, string>();
  const targets: TargetPlan[] = [];
  for (const name of order) {
    const t = targetObjs.get(name)!;
    const deps = (isObj(t.constraints) && Array.isArray(t.constraints.dependsOn) ? t.constraints.dependsOn : []) as string[];
    const envSteps = planTarget(name, t, typeof t.strategy === 'string' ? strategies.get(t.strategy) : undefined);
    envSteps.forEach((s, i) => {
      s.step = i + 1;
      s.totalSteps = envSteps.length;
      s.dependsOn = i === 0 ? deps.map((d) => lastRefOf.get(d)!) : [envSteps[i - 1]!.ref];
    });
    lastRefOf.set(name, envSteps[envSteps.length - 1]!.ref);
    steps.push(...envSteps);
    targets.push({
      name,
      account: t.account as string,
      namespace: t.namespace as string | undefined,
      manifests: manifestsByTarget.get(name) ?? [],
      deploymentId: newId(),
    });
  }
  return {
    ok: true,
    value: {
      application,
      description: typeof body.description === 'string' ? body.description : undefined,
      context: isObj(body.context) ? body.context : {},
      targets,
      steps,
      ifDeploymentInProgress,
      warnings,
    },
  };
}

function checkDuration(v: unknown, at: string, errors: string[]): void {
  if (!isObj(v) || typeof v.duration !== 'number' || !(v.duration > 0)) errors.push(`${at}.duration: required, a positive number`);
  if (!isObj(v) || !isDurationUnit(v.unit))
    errors.push(`${at}.unit: expected one of ${DURATION_UNITS.join(', ')}, got ${JSON.stringify(isObj(v) ? (v.unit ?? null) : null)}`);
}

function checkStep(st: unknown, at: string, allowed: string[], webhooks: Set<string>, hasAnalysisQueries: boolean, errors: string[]): void {
  if (!isObj(st)) {
    errors.push(`${at}: expected one of ${allowed.join(', ')}`);
    return;
  }
  const keys = Object.keys(st).filter((k) => allowed.includes(k));
  const unknown = Object.keys(st).filter((k) => !allowed.includes(k));
  if (keys.length !== 1 || unknown.length > 0) {
    errors.push(`${at}: expected exactly one of ${allowed.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    return;
  }
  const key = keys[0]!;
  const v = st[key];
  switch (key) {
    case 'setWeight': {
      const w = isObj(v) ? v.weight : undefined;
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) errors.push(`${at}.setWeight.weight: expected an integer from 0 to 100, got ${JSON.stringify(w ?? null)}`);
      break;
    }
    case 'pause':
      if (!isObj(v)) errors.push(`${at}.pause: expected untilApproved: true or a duration and unit`);
      else if (v.untilApproved !== undefined) {
        if (v.untilApproved !== true) errors.push(`${at}.pause.untilApproved: expected true`);
        if (v.duration !== undefined) errors.push(`${at}.pause: set either untilApproved or duration, not both`);
      } else checkDuration(v, `${at}.pause`, errors);
      break;
    case 'runWebhook': {
      const name = isObj(v) ? v.name : undefined;
      if (typeof name !== 'string' || !webhooks.has(name)) errors.push(`${at}.runWebhook.name: webhook ${JSON.stringify(name ?? null)} is not defined in webhooks (defined: ${list(webhooks)})`);
      break;
    }
    case 'analysis':
      if (!isObj(v) || !Array.isArray(v.queries) || v.queries.length === 0) errors.push(`${at}.analysis.queries: required, a non-empty list of query names`);
      else if (!hasAnalysisQueries) errors.push(`${at}.analysis: the top-level analysis.queries this step refers to are missing`);
      break;
    case 'exposeServices':
      if (!isObj(v) || !Array.isArray(v.services) || v.services.length === 0) errors.push(`${at}.exposeServices.services: required, a non-empty list`);
      break;
  }
}

function topoOrder(targets: Map<string, Obj>): string[] | undefined {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): boolean => {
    const s = state.get(name);
    if (s === 'done') return true;
    if (s === 'visiting') return false;
    state.set(name, 'visiting');
    const t = targets.get(name)!;
    const deps = isObj(t.constraints) && Array.isArray(t.constraints.dependsOn) ? t.constraints.dependsOn : [];
    for (const d of deps) if (typeof d === 'string' && targets.has(d) && d !== name && !visit(d)) return false;
    state.set(name, 'done');
    order.push(name);
    return true;
  };
  for (const name of targets.keys()) if (!visit(name)) return undefined;
  return order;
}

function parseManifests(texts: string[], at: string, errors: string[]): ManifestDoc[] {
  const docs: ManifestDoc[] = [];
  texts.forEach((text, i) => {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        const e = doc.errors[0]!;
        const pos = e.linePos?.[0];
        const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        errors.push(`${at}[${i}]${pos ? ` line ${pos.line}:${pos.col}` : ''}: invalid YAML: ${message}`);
        continue;
      }
      const m = doc.toJS() as unknown;
      if (m === null || m === undefined) continue;
      if (!isObj(m) || typeof m.kind !== 'string' || !isObj(m.metadata) || typeof m.metadata.name !== 'string') {
        errors.push(`${at}[${i}]: a Kubernetes manifest needs kind and metadata.name`);
        continue;
      }
      if (REJECTED_KINDS.includes(m.kind)) {
        errors.push(`${at}[${i}]: ${m.kind} "${m.metadata.name}" cannot be deployed; ReplicaSets and Pods are not accepted as manifests (use a Deployment)`);
        continue;
      }
      const spec = isObj(m.spec) ? m.spec : {};
      const template = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {};
      const containers = Array.isArray(template.containers) ? template.containers : [];
      docs.push({
        kind: m.kind,
        name: m.metadata.name,
        namespace: typeof m.metadata.namespace === 'string' ? m.metadata.namespace : undefined,
        replicas: typeof spec.replicas === 'number' ? spec.replicas : undefined,
        images: containers.flatMap((c) => (isObj(c) && typeof c.image === 'string' ? [c.image] : [])),
      });
    }
  });
  return docs;
}

/** One target's steps. Canary: its steps, then 100 % if the last weight was lower. */
function planTarget(env: string, t: Obj, strategy: Obj | undefined): StepPlan[] {
  const out: StepPlan[] = [];
  let n = 0;
  const add = (s: Omit<StepPlan, 'ref' | 'environment' | 'dependsOn' | 'step' | 'totalSteps'>) =>
    out.push({ ...s, ref: `${env}-${++n}`, environment: env, dependsOn: [], step: 0, totalSteps: 0 });
  const addCondition = (c: Obj) => {
    if (isObj(c.pause)) {
      const p = c.pause;
      if (p.untilApproved === true) add({ type: 'pause', pause: { untilApproved: true }, waitsForApproval: true });
      else add({ type: 'pause', pause: { duration: p.duration as number, unit: p.unit as string }, waitsForApproval: false });
    } else if (isObj(c.runWebhook)) add({ type: 'webhook', webhook: c.runWebhook.name as string, waitsForApproval: false });
    else if (isObj(c.analysis)) add({ type: 'analysis', waitsForApproval: false });
    else if (isObj(c.exposeServices)) add({ type: 'exposeServices', waitsForApproval: false });
  };
  const constraints = isObj(t.constraints) ? t.constraints : {};
  for (const c of (constraints.beforeDeployment as Obj[] | undefined) ?? []) addCondition(c);

  const canary = strategy && isObj(strategy.canary) ? strategy.canary : undefined;
  const blueGreen = strategy && isObj(strategy.blueGreen) ? strategy.blueGreen : undefined;
  if (canary) {
    let lastWeight = 0;
    for (const s of canary.steps as Obj[]) {
      if (isObj(s.setWeight)) {
        lastWeight = s.setWeight.weight as number;
        add({ type: 'deployment', weight: lastWeight, waitsForApproval: false });
      } else addCondition(s);
    }
    if (lastWeight < 100) add({ type: 'deployment', weight: 100, waitsForApproval: false });
  } else if (blueGreen) {
    add({ type: 'deployment', phase: 'deployPreview', weight: 0, waitsForApproval: false });
    for (const c of (blueGreen.redirectTrafficAfter as Obj[] | undefined) ?? []) addCondition(c);
    add({ type: 'deployment', phase: 'redirectTraffic', weight: 100, waitsForApproval: false });
    for (const c of (blueGreen.shutDownOldVersionAfter as Obj[] | undefined) ?? []) addCondition(c);
    add({ type: 'deployment', phase: 'shutDownOldVersion', weight: 100, waitsForApproval: false });
  } else {
    // No strategy: the manifests are applied as they are (a plain Kubernetes rollout).
    add({ type: 'deployment', weight: 100, waitsForApproval: false });
  }
  for (const c of (constraints.afterDeployment as Obj[] | undefined) ?? []) addCondition(c);
  return out;
}

/**
 * An inline manifest, as Armory's deploy file reference writes it (`inline: {value: |...}`) or as a
 * bare string. Which forms the real service takes is not confirmed; the Deck validator accepts both,
 * so the emulator does too rather than fail a deployment Deck called valid.
 */
function inlineText(inline: unknown): string | undefined {
  const text = isObj(inline) ? inline.value : inline;
  return typeof text === 'string' && text.trim() ? text : undefined;
}
