/** The deploy.yml schema, as specs for the walker, with the checks that need more than one field. */
import { isMap, isScalar, isSeq, type Node as YNode } from 'yaml';

import { DURATION_UNITS, DURATION_UNITS_TEXT, durationSeconds, isDurationUnit } from '../durations';
import { isSpel } from '../spel';
import { mapGet, scalarValue, type Field, type ObjectSpec, type OneKeySpec, type Path, type Spec, type WalkContext } from './walk';

const text: Spec = { type: 'string', nonEmpty: true };
const optional = (spec: Spec): Field => ({ spec });
const required = (spec: Spec, hint?: string): Field => ({ spec, required: true, hint });

const unit: Spec = { type: 'string', enum: DURATION_UNITS, what: 'unit' };
const duration: Spec = { type: 'number', integer: true, positive: true, what: 'duration' };
const durationSpec: ObjectSpec = {
  type: 'object',
  fields: { duration: required(duration), unit: required(unit, DURATION_UNITS_TEXT) },
};

/** A pause waits either for an approval or for a time, never both and never neither. */
function checkPause(node: YNode, cx: WalkContext, path: Path): void {
  const untilApproved = scalarValue(mapGet(node, 'untilApproved', cx));
  // A mistyped untilApproved is reported on its own; judging the pause on it would repeat that.
  if (untilApproved !== undefined && typeof untilApproved !== 'boolean' && !isSpel(untilApproved)) return;
  const hasDuration = mapGet(node, 'duration', cx) !== undefined;
  const hasUnit = mapGet(node, 'unit', cx) !== undefined;
  if (untilApproved === true && (hasDuration || hasUnit)) {
    cx.error(node, path, 'a pause waits either until approved or for a duration, not both: remove untilApproved or duration/unit');
  } else if (untilApproved !== true && !isSpel(untilApproved) && !hasDuration && !hasUnit) {
    cx.error(node, path, 'a pause needs untilApproved: true, or a duration and a unit');
  } else if (hasDuration !== hasUnit && untilApproved !== true) {
    cx.error(node, path, hasDuration ? `unit is required with duration (${DURATION_UNITS_TEXT})` : 'duration is required with unit');
  }
}

const pause: ObjectSpec = {
  type: 'object',
  fields: {
    untilApproved: optional({ type: 'boolean' }),
    requiresRoles: optional({ type: 'array', items: text }),
    requiresRole: optional({ type: 'array', items: text }),
    duration: optional(duration),
    unit: optional(unit),
  },
  check: checkPause,
};

const runWebhook: ObjectSpec = {
  type: 'object',
  fields: {
    name: required({ type: 'string', nonEmpty: true, ref: 'webhook', what: 'webhook name' }, 'a name from webhooks'),
    context: optional({ type: 'record', values: { type: 'scalar' } }),
  },
};

const analysisStep: ObjectSpec = {
  type: 'object',
  fields: {
    metricProviderName: optional(text),
    context: optional({ type: 'record', values: { type: 'scalar' } }),
    interval: optional({ type: 'number', integer: true, positive: true, what: 'interval' }),
    units: optional(unit),
    numberOfJudgmentRuns: optional({ type: 'number', integer: true, positive: true, what: 'numberOfJudgmentRuns' }),
    rollBackMode: optional({ type: 'string', enum: ['manual', 'automatic'], caseInsensitive: true, what: 'rollBackMode' }),
    rollForwardMode: optional({ type: 'string', enum: ['manual', 'automatic'], caseInsensitive: true, what: 'rollForwardMode' }),
    lookbackMethod: optional({ type: 'string', enum: ['growing', 'sliding'], what: 'lookbackMethod' }),
    queries: required({ type: 'array', nonEmpty: true, what: 'query', items: { type: 'string', nonEmpty: true, ref: 'query', what: 'query name' } }, 'names from analysis.queries'),
  },
};

const exposeServices: ObjectSpec = {
  type: 'object',
  fields: {
    services: required({ type: 'array', nonEmpty: true, what: 'service', items: text }, 'names of Kubernetes Services'),
    ttl: optional(durationSpec),
  },
};

const setWeight: ObjectSpec = {
  type: 'object',
  fields: { weight: required({ type: 'number', integer: true, min: 1, max: 100, what: 'weight' }, 'a percentage from 1 to 100') },
};

/** Weights must rise from one setWeight to the next: traffic never moves back to the old version mid-canary. */
function checkRisingWeights(node: YNode, cx: WalkContext, path: Path): void {
  if (!isSeq(node)) return;
  let previous: { weight: number; node: YNode } | undefined;
  for (let i = 0; i < node.items.length; i++) {
    const weightNode = mapGet(mapGet(cx.resolve(node.items[i]), 'setWeight', cx), 'weight', cx);
    const weight = scalarValue(weightNode);
    if (typeof weight !== 'number' || !weightNode) continue;
    if (previous && weight <= previous.weight) {
      const { line } = cx.lineCounter.linePos(previous.node.range?.[0] ?? 0);
      cx.error(weightNode, path.child(i).child('setWeight').child('weight'), `weight ${weight} must be higher than the previous setWeight (${previous.weight}, line ${line}): canary weights rise step by step`);
    }
    previous = { weight, node: weightNode };
  }
}

const canaryStep: OneKeySpec = {
  type: 'oneKey',
  what: 'canary step',
  options: { setWeight, pause, runWebhook, analysis: analysisStep, exposeServices },
};
const constraintStep: OneKeySpec = { type: 'oneKey', what: 'constraint step', options: { pause, runWebhook, analysis: analysisStep } };
const redirectStep: OneKeySpec = { type: 'oneKey', what: 'blue/green step', options: { pause, analysis: analysisStep, exposeServices, runWebhook } };
const shutdownStep: OneKeySpec = { type: 'oneKey', what: 'blue/green step', options: { pause, analysis: analysisStep, runWebhook } };

const strategy: OneKeySpec = {
  type: 'oneKey',
  what: 'strategy kind',
  options: {
    canary: {
      type: 'object',
      fields: { steps: required({ type: 'array', nonEmpty: true, what: 'step', items: canaryStep, check: checkRisingWeights }, 'a list of setWeight, pause, analysis... steps') },
    },
    blueGreen: {
      type: 'object',
      fields: {
        activeService: optional(text),
        previewService: optional(text),
        redirectTrafficAfter: optional({ type: 'array', items: redirectStep }),
        shutDownOldVersionAfter: optional({ type: 'array', items: shutdownStep }),
      },
    },
  },
};

const target: ObjectSpec = {
  type: 'object',
  fields: {
    account: required(text, "the Remote Network Agent's agentIdentifier"),
    namespace: optional(text),
    strategy: required({ type: 'string', nonEmpty: true, ref: 'strategy', what: 'strategy' }, 'a name from strategies'),
    constraints: optional({
      type: 'object',
      fields: {
        dependsOn: optional({ type: 'array', items: { type: 'string', nonEmpty: true, ref: 'target', what: 'target' } }),
        beforeDeployment: optional({ type: 'array', items: constraintStep }),
        afterDeployment: optional({ type: 'array', items: constraintStep }),
      },
    }),
  },
};

/** A manifest comes from a path or is written inline: exactly one of the two. */
function checkManifestSource(node: YNode, cx: WalkContext, path: Path): void {
  const hasPath = mapGet(node, 'path', cx) !== undefined;
  const hasInline = mapGet(node, 'inline', cx) !== undefined;
  if (hasPath && hasInline) cx.error(node, path, 'a manifest has either path or inline, not both');
  else if (!hasPath && !hasInline) cx.error(node, path, 'a manifest needs a path (a file bound to a pipeline artifact) or inline text');
}

const inlineManifest: Spec = {
  type: 'any',
  // Documented as `inline: {value: <text>}`; a bare string is accepted too.
  check(node, cx, path) {
    if (isScalar(node) && typeof node.value === 'string') return;
    if (isMap(node)) {
      const value = mapGet(node, 'value', cx);
      if (isScalar(value) && typeof value.value === 'string') return;
      cx.error(value ?? node, path.child('value'), 'inline.value must hold the manifest text');
      return;
    }
    cx.error(node, path, 'inline must hold the manifest text under value: |');
  },
};

const manifest: ObjectSpec = {
  type: 'object',
  fields: {
    path: optional(text),
    inline: optional(inlineManifest),
    targets: optional({ type: 'array', items: { type: 'string', nonEmpty: true, ref: 'target', what: 'target' } }),
  },
  check: checkManifestSource,
};

function checkWebhook(node: YNode, cx: WalkContext, path: Path): void {
  const mode = scalarValue(mapGet(node, 'networkMode', cx));
  if (mode === 'remoteNetworkAgent' && mapGet(node, 'agentIdentifier', cx) === undefined) {
    cx.error(node, path.child('agentIdentifier'), 'agentIdentifier is required when networkMode is remoteNetworkAgent');
  }
}

const webhook: ObjectSpec = {
  type: 'object',
  fields: {
    name: required({ type: 'string', nonEmpty: true, defines: 'webhook', what: 'webhook name' }),
    method: required({ type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], caseInsensitive: true, what: 'method' }),
    uriTemplate: required(text),
    networkMode: required({ type: 'string', enum: ['direct', 'remoteNetworkAgent'], what: 'networkMode' }),
    agentIdentifier: optional(text),
    headers: optional({ type: 'array', items: { type: 'object', fields: { key: required(text), value: required({ type: 'scalar' }) } } }),
    bodyTemplate: optional({ type: 'object', fields: { inline: required({ type: 'string' }) } }),
    retryCount: optional({ type: 'number', integer: true, min: 0, what: 'retryCount' }),
  },
  check: checkWebhook,
};

const trafficManagement: ObjectSpec = {
  type: 'object',
  fields: {
    targets: optional({ type: 'array', items: { type: 'string', nonEmpty: true, ref: 'target', what: 'target' } }),
    smi: optional({
      type: 'array',
      items: { type: 'object', fields: { rootServiceName: required(text), canaryServiceName: optional(text), trafficSplitName: optional(text) } },
    }),
    kubernetes: optional({ type: 'array', items: { type: 'object', fields: { activeService: required(text), previewService: optional(text) } } }),
    istio: optional({
      type: 'array',
      items: {
        type: 'object',
        fields: {
          virtualService: required({ type: 'object', fields: { name: required(text), httpRouteName: optional(text) } }),
          destinationRule: optional({ type: 'object', fields: { name: required(text), activeSubsetName: optional(text), canarySubsetName: optional(text) } }),
        },
      },
    }),
  },
};

/** CDaaS's minimum deployment timeout is one minute. */
function checkTimeout(node: YNode, cx: WalkContext, path: Path): void {
  const d = scalarValue(mapGet(node, 'duration', cx));
  const u = scalarValue(mapGet(node, 'unit', cx));
  if (typeof d === 'number' && isDurationUnit(u) && durationSeconds(d, u) < 60) {
    cx.warn(node, path, `a timeout of ${d} ${u} is below CD-as-a-Service's minimum of 60 seconds`);
  }
}

export const deployYmlSpec: ObjectSpec = {
  type: 'object',
  fields: {
    version: required({ type: 'string', enum: ['v1'], what: 'version' }, 'v1'),
    kind: required({ type: 'string', enum: ['kubernetes'], caseInsensitive: true, what: 'kind' }, 'kubernetes'),
    application: required(text, 'the application name shown in CD-as-a-Service'),
    deploymentConfig: optional({
      type: 'object',
      fields: {
        timeout: optional({ ...durationSpec, check: checkTimeout }),
        keepDeploymentObject: optional({ type: 'boolean' }),
        ifDeploymentInProgress: optional({
          type: 'object',
          fields: { strategy: required({ type: 'string', enum: ['reject', 'enqueueOne'], what: 'strategy' }, 'reject or enqueueOne') },
        }),
      },
    }),
    targets: required({ type: 'record', defines: 'target', nonEmpty: true, what: 'target', values: target }, 'where to deploy: a map of target names'),
    manifests: required({ type: 'array', nonEmpty: true, what: 'manifest', items: manifest }, 'a list of path: or inline: entries'),
    strategies: optional({ type: 'record', defines: 'strategy', what: 'strategy', values: strategy }),
    analysis: optional({
      type: 'object',
      fields: {
        defaultMetricProviderName: optional(text),
        queries: required({
          type: 'array',
          items: {
            type: 'object',
            fields: {
              name: required({ type: 'string', nonEmpty: true, defines: 'query', what: 'query name' }),
              queryTemplate: required(text),
              upperLimit: optional({ type: 'number', what: 'upperLimit' }),
              lowerLimit: optional({ type: 'number', what: 'lowerLimit' }),
            },
          },
        }),
      },
    }),
    webhooks: optional({ type: 'array', items: webhook }),
    trafficManagement: optional({ type: 'array', items: trafficManagement }),
  },
};
