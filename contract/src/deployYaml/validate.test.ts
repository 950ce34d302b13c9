import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { formatProblem, validateDeployYaml, type TextProblem } from './index';

// import.meta.url is not a file URL under vitest's jsdom environment; __dirname is.
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

/** path, position and severity: what a user needs to find the problem. */
const where = (problems: TextProblem[]) => problems.map((p) => `${p.severity} ${p.path} ${p.line}:${p.column}`);

/** A minimal valid document to which each test adds one mistake. */
const base = (extra = '', strategySteps = '        - setWeight:\n            weight: 100') => `version: v1
kind: kubernetes
application: potato-facts
targets:
  prod:
    account: prod-west
    namespace: potato-facts
    strategy: rolling
manifests:
  - path: manifests/potato-facts.yml
strategies:
  rolling:
    canary:
      steps:
${strategySteps}
${extra}`;

describe('validateDeployYaml on realistic files', () => {
  it('accepts a complete multi-target deploy.yml and returns it as JSON', () => {
    const result = validateDeployYaml(fixture('potato-facts.deploy.yml'));
    expect(result.problems).toEqual([]);
    expect(result.hasErrors).toBe(false);
    const d = result.deployment as { targets: Record<string, { strategy: string; account: string }>; deploymentConfig: unknown };
    expect(Object.keys(d.targets)).toEqual(['staging', 'prod-west', 'prod-east']);
    expect(d.targets['prod-west'].strategy).toBe('canary-with-approval');
    // The expression is kept as text for Orca to evaluate at stage start.
    expect(d.targets['prod-east'].account).toBe('${parameters.eastAccount}');
    expect(d.deploymentConfig).toEqual({ timeout: { unit: 'minutes', duration: 30 }, keepDeploymentObject: true, ifDeploymentInProgress: { strategy: 'enqueueOne' } });
    expect(result.manifestPaths).toEqual([
      { path: 'manifests/potato-facts.yml', line: 41, column: 11 },
      { path: 'manifests/potato-facts-service.yml', line: 42, column: 11, targets: ['prod-west', 'prod-east'] },
    ]);
  });

  it('reports every mistake of a broken file at its path and line:column', () => {
    const result = validateDeployYaml(fixture('potato-facts-broken.deploy.yml'));
    expect(result.hasErrors).toBe(true);
    expect(where(result.problems)).toEqual([
      'error targets.prod.strategy 12:15',
      'error targets.prod.constraints.dependsOn[1] 14:28',
      'error manifests[0].targets[2] 20:30',
      'error strategies.canary.canary.steps[1].pause.duration 33:23',
      'error strategies.canary.canary.steps[1].pause.unit 34:19',
      'error strategies.canary.canary.steps[2].setWeight.weight 36:21',
      'error strategies.canary.canary.steps[3].setWeight.weight 38:21',
      'error strategies.canary.canary.steps[4].runWebhook.name 40:19',
      'warning webhooks[0].retries 47:5',
    ]);
    const messages = result.problems.map((p) => p.message);
    expect(messages).toEqual([
      "targets.prod.strategy: strategy 'canry' is not defined (did you mean 'canary'?); defined: rolling, canary",
      "targets.prod.constraints.dependsOn[1]: target 'qa' is not defined; defined: staging, prod",
      "manifests[0].targets[2]: target 'perf' is not defined; defined: staging, prod",
      'strategies.canary.canary.steps[1].pause.duration: duration must be greater than 0, found 0',
      "strategies.canary.canary.steps[1].pause.unit: 'minute' is not a valid unit; use seconds, minutes, hours (did you mean 'minutes'?)",
      'strategies.canary.canary.steps[2].setWeight.weight: weight 25 must be higher than the previous setWeight (50, line 31): canary weights rise step by step',
      'strategies.canary.canary.steps[3].setWeight.weight: weight must be from 1 to 100, found 150',
      "strategies.canary.canary.steps[4].runWebhook.name: webhook 'smoke-test' is not defined (did you mean 'smoke-tests'?); defined: smoke-tests",
      "webhooks[0].retries: unknown key 'retries'; known keys: name, method, uriTemplate, networkMode, agentIdentifier, headers, bodyTemplate, retryCount",
    ]);
    expect(formatProblem(result.problems[0])).toBe(
      "line 12, column 15: targets.prod.strategy: strategy 'canry' is not defined (did you mean 'canary'?); defined: rolling, canary",
    );
  });
});

describe('validateDeployYaml: each kind of problem', () => {
  it('gives YAML syntax errors their line and column and no JSON', () => {
    const result = validateDeployYaml('version: v1\ntargets:\n  prod:\n    account: [prod-west\n    strategy: rolling\n');
    expect(result.deployment).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 5, column: 5 });
    expect(result.problems[0].message).toMatch(/^YAML syntax error: /);
  });

  it('reports a key written twice', () => {
    const result = validateDeployYaml(base('application: again'));
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 17, column: 1 });
    expect(result.problems[0].message).toMatch(/unique/);
  });

  it('refuses an empty text and a document that is not a map', () => {
    expect(validateDeployYaml('  \n# only a comment\n').problems[0]).toMatchObject({ line: 1, column: 1, severity: 'error' });
    expect(validateDeployYaml('  \n').problems[0].message).toMatch(/empty/);
    expect(validateDeployYaml('- version: v1\n').problems[0].message).toBe('deploy.yml must be a map of keys (version, kind, application, targets, ...)');
  });

  it('names a missing required key at the map that lacks it', () => {
    const text = base().replace('    account: prod-west\n', '');
    expect(where(validateDeployYaml(text).problems)).toEqual(['error targets.prod.account 5:3']);
    expect(validateDeployYaml(text).problems[0].message).toBe("targets.prod.account: account is required (the Remote Network Agent's agentIdentifier)");
    const noApp = base().replace('application: potato-facts\n', '');
    expect(validateDeployYaml(noApp).problems.map((p) => p.message)).toEqual(['application: application is required (the application name shown in CD-as-a-Service)']);
  });

  it('reports a wrong type with what was found', () => {
    const result = validateDeployYaml(base('', '        - setWeight:\n            weight: "25"'));
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '16:21 strategies.rolling.canary.steps[0].setWeight.weight: weight must be a whole number, found the text "25"',
    ]);
    const list = validateDeployYaml(base().replace('account: prod-west', 'account: [prod-west]'));
    expect(list.problems[0].message).toBe('targets.prod.account: expected text, found a list');
  });

  it('checks version and kind', () => {
    const result = validateDeployYaml(base().replace('version: v1', 'version: v2').replace('kind: kubernetes', 'kind: ecs'));
    expect(result.problems.map((p) => p.message)).toEqual([
      "version: 'v2' is not a valid version; use v1",
      "kind: 'ecs' is not a valid kind; use kubernetes",
    ]);
    // The docs write "Kubernetes" too.
    expect(validateDeployYaml(base().replace('kind: kubernetes', 'kind: Kubernetes')).problems).toEqual([]);
  });

  it('flags unknown keys as warnings with a did-you-mean', () => {
    const result = validateDeployYaml(base().replace('    namespace: potato-facts', '    namespace: potato-facts\n    stratgey: other'));
    expect(result.hasErrors).toBe(false);
    expect(result.problems).toEqual([
      { severity: 'warning', path: 'targets.prod.stratgey', line: 8, column: 5, message: "targets.prod.stratgey: unknown key 'stratgey'; did you mean 'strategy'?" },
    ]);
  });

  it('refuses an unknown step type as an error, with a did-you-mean', () => {
    const result = validateDeployYaml(base('', '        - setweight:\n            weight: 100'));
    expect(result.problems.map((p) => `${p.severity} ${p.line}:${p.column} ${p.message}`)).toEqual([
      "error 15:11 strategies.rolling.canary.steps[0].setweight: 'setweight' is not a canary step; use setWeight, pause, runWebhook, analysis, exposeServices (did you mean 'setWeight'?)",
    ]);
  });

  it('refuses two actions in one step and an unknown strategy kind', () => {
    const two = validateDeployYaml(base('', '        - setWeight: {weight: 50}\n          pause: {untilApproved: true}'));
    expect(where(two.problems)).toEqual(['error strategies.rolling.canary.steps[0] 16:11']);
    expect(two.problems[0].message).toMatch(/found setWeight and pause: split them into separate entries/);
    const kind = validateDeployYaml(base().replace('    canary:\n', '    canry:\n'));
    expect(kind.problems[0].message).toBe("strategies.rolling.canry: 'canry' is not a strategy kind; use canary, blueGreen (did you mean 'canary'?)");
  });

  it('requires a pause to wait for an approval or a duration, not both', () => {
    const both = validateDeployYaml(base('', '        - pause:\n            untilApproved: true\n            duration: 5\n            unit: minutes'));
    expect(both.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '16:13 strategies.rolling.canary.steps[0].pause: a pause waits either until approved or for a duration, not both: remove untilApproved or duration/unit',
    ]);
    const neither = validateDeployYaml(base('', '        - pause:\n            untilApproved: false'));
    expect(neither.problems[0].message).toBe('strategies.rolling.canary.steps[0].pause: a pause needs untilApproved: true, or a duration and a unit');
    const noUnit = validateDeployYaml(base('', '        - pause:\n            duration: 5'));
    expect(noUnit.problems[0].message).toBe('strategies.rolling.canary.steps[0].pause: unit is required with duration (seconds, minutes or hours)');
  });

  it('checks units and positive durations everywhere a duration appears', () => {
    const text = base('deploymentConfig:\n  timeout:\n    duration: -5\n    unit: days');
    expect(validateDeployYaml(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '19:15 deploymentConfig.timeout.duration: duration must be greater than 0, found -5',
      "20:11 deploymentConfig.timeout.unit: 'days' is not a valid unit; use seconds, minutes, hours",
    ]);
    const short = validateDeployYaml(base('deploymentConfig:\n  timeout:\n    duration: 30\n    unit: seconds'));
    expect(short.problems).toMatchObject([{ severity: 'warning', path: 'deploymentConfig.timeout', line: 19, column: 5 }]);
  });

  it('requires weights from 1 to 100, rising within a canary', () => {
    const steps = ['        - setWeight: {weight: 0}', '        - setWeight: {weight: 40}', '        - setWeight: {weight: 40}', '        - setWeight: {weight: 90}'].join('\n');
    const result = validateDeployYaml(base('', steps));
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '15:31 strategies.rolling.canary.steps[0].setWeight.weight: weight must be from 1 to 100, found 0',
      '17:31 strategies.rolling.canary.steps[2].setWeight.weight: weight 40 must be higher than the previous setWeight (40, line 16): canary weights rise step by step',
    ]);
  });

  it('finds dependsOn cycles and self-dependencies', () => {
    const text = `version: v1
kind: kubernetes
application: potato-facts
targets:
  a:
    account: west
    strategy: rolling
    constraints:
      dependsOn: [c]
  b:
    account: west
    strategy: rolling
    constraints:
      dependsOn: [a]
  c:
    account: west
    strategy: rolling
    constraints:
      dependsOn: [b, c]
manifests:
  - path: m.yml
strategies:
  rolling:
    canary:
      steps:
        - setWeight: {weight: 100}
`;
    expect(validateDeployYaml(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      // Reported where the cycle closes: b's dependsOn leads back to a.
      '14:19 targets.b.constraints.dependsOn[0]: dependsOn forms a cycle: a -> c -> b -> a; none of these targets could start',
      "19:22 targets.c.constraints.dependsOn[1]: target 'c' depends on itself",
    ]);
  });

  it('checks manifests: path or inline, known targets, no duplicates, inline text checked in place', () => {
    const text = base().replace(
      '  - path: manifests/potato-facts.yml\n',
      [
        '  - path: manifests/potato-facts.yml',
        '  - path: manifests/potato-facts.yml',
        '  - targets: [prod]',
        '  - inline:',
        '      value: |',
        '        apiVersion: apps/v1',
        '        kind: ReplicaSet',
        '        metadata:',
        '          name: potato-facts',
        '',
      ].join('\n'),
    );
    expect(validateDeployYaml(text).problems.map((p) => `${p.severity} ${p.line}:${p.column} ${p.path}`)).toEqual([
      'error 12:5 manifests[2]',
      'error 16:15 manifests[3].inline: kind',
      'warning 11:11 manifests[1].path',
    ]);
    const messages = validateDeployYaml(text).problems.map((p) => p.message);
    expect(messages[0]).toBe('manifests[2]: a manifest needs a path (a file bound to a pipeline artifact) or inline text');
    expect(messages[1]).toMatch(/^manifests\[3\]\.inline: the manifest \(ReplicaSet potato-facts\): CD-as-a-Service creates and scales ReplicaSets itself/);
    expect(messages[2]).toBe("manifests[1].path: path 'manifests/potato-facts.yml' is also listed at manifests[0]; its manifests would be deployed twice");
  });

  it('checks analysis query names, webhook names and webhook settings', () => {
    const text = base(
      [
        'analysis:',
        '  queries:',
        '    - name: errorRate',
        '      queryTemplate: sum(rate(http_errors[1m]))',
        'webhooks:',
        '  - name: smoke',
        '    method: POST',
        '    uriTemplate: https://ci.example.com/smoke',
        '    networkMode: remoteNetworkAgent',
        '  - name: smoke',
        '    method: FETCH',
        '    uriTemplate: https://ci.example.com/smoke',
        '    networkMode: direct',
      ].join('\n'),
      '        - analysis:\n            queries: [errorRate, latency]\n        - setWeight: {weight: 100}',
    );
    expect(validateDeployYaml(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "16:34 strategies.rolling.canary.steps[0].analysis.queries[1]: analysis query 'latency' is not defined; defined: errorRate",
      '23:5 webhooks[0].agentIdentifier: agentIdentifier is required when networkMode is remoteNetworkAgent',
      "27:11 webhooks[1].name: webhook 'smoke' is defined twice (first at 23:11)",
      "28:13 webhooks[1].method: 'FETCH' is not a valid method; use GET, POST, PUT, PATCH, DELETE",
    ]);
  });

  it('refuses fractions, empty lists and empty text, and checks trafficManagement targets', () => {
    const text = base(
      'trafficManagement:\n  - targets: [prod, qa]\n    kubernetes:\n      - activeService: potato-facts',
      '        - setWeight:\n            weight: 2.5\n        - exposeServices:\n            services: []',
    ).replace('namespace: potato-facts', 'namespace: ""');
    expect(validateDeployYaml(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '7:16 targets.prod.namespace: namespace must not be empty',
      '16:21 strategies.rolling.canary.steps[0].setWeight.weight: weight must be a whole number, found 2.5',
      '18:23 strategies.rolling.canary.steps[1].exposeServices.services: the list is empty; at least one service is needed',
      "20:21 trafficManagement[0].targets[1]: target 'qa' is not defined; defined: prod",
    ]);
  });

  it('refuses a second YAML document', () => {
    const result = validateDeployYaml(base() + '---\nversion: v1\n');
    expect(result.hasErrors).toBe(true);
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 17, column: 1 });
  });

  it('says a required key left empty needs a value, at the key', () => {
    const result = validateDeployYaml(base().replace('    strategy: rolling\n', '    strategy:\n'));
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '8:5 targets.prod.strategy: strategy needs a value (a name from strategies)',
    ]);
  });

  it('points out a step field indented at the step level', () => {
    const result = validateDeployYaml(base('', '        - setWeight:\n          weight: 100'));
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '15:11 strategies.rolling.canary.steps[0].setWeight: expected a map, found nothing',
      "16:11 strategies.rolling.canary.steps[0].weight: 'weight' is not a canary step; use setWeight, pause, runWebhook, analysis, exposeServices; weight belongs under setWeight: indent it below setWeight",
    ]);
  });

  it('regression: a quoted untilApproved is reported once, not also as a pause without a wait', () => {
    const result = validateDeployYaml(base('', '        - pause:\n            untilApproved: "true"'));
    expect(result.problems.map((p) => p.message)).toEqual([
      'strategies.rolling.canary.steps[0].pause.untilApproved: untilApproved must be true or false, found the text "true"',
    ]);
  });

  it('says when nothing is defined to refer to', () => {
    const text = base().replace('strategies:\n  rolling:\n    canary:\n      steps:\n        - setWeight:\n            weight: 100\n', '');
    expect(validateDeployYaml(text).problems.map((p) => p.message)).toEqual([
      "targets.prod.strategy: strategy 'rolling' is not defined; none are defined in strategies",
    ]);
  });

  it('accepts Spinnaker expressions wherever a scalar goes and leaves them to Orca', () => {
    const text = base(
      'deploymentConfig:\n  keepDeploymentObject: ${parameters.keep}\n  timeout: ${parameters.timeout}',
      '        - setWeight:\n            weight: ${parameters.firstWeight}\n        - pause:\n            untilApproved: ${parameters.approve}\n        - setWeight:\n            weight: 100',
    )
      .replace('strategy: rolling', 'strategy: ${parameters.strategy}')
      .replace('- path: manifests/potato-facts.yml', '- path: manifests/${parameters.service}.yml\n    targets: ["${parameters.target}"]');
    const result = validateDeployYaml(text);
    expect(result.problems).toEqual([]);
    expect((result.deployment as { targets: { prod: { strategy: string } } }).targets.prod.strategy).toBe('${parameters.strategy}');
    expect(result.manifestPaths.map((m) => m.path)).toEqual(['manifests/${parameters.service}.yml']);
  });

  it('follows anchors and merge keys, as real files share blocks that way', () => {
    const text = `version: v1
kind: kubernetes
application: potato-facts
x-defaults: &defaults
  account: prod-west
  namespace: potato-facts
  strategy: rolling
targets:
  west:
    <<: *defaults
  east:
    <<: *defaults
    account: prod-east
    strategy: missing
manifests:
  - path: m.yml
strategies:
  rolling:
    canary:
      steps:
        - setWeight: {weight: 100}
`;
    const result = validateDeployYaml(text);
    expect(result.problems.map((p) => `${p.severity} ${p.line}:${p.column} ${p.message}`)).toEqual([
      "error 14:15 targets.east.strategy: strategy 'missing' is not defined; defined: rolling",
      "warning 4:1 x-defaults: unknown key 'x-defaults'; known keys: version, kind, application, deploymentConfig, targets, manifests, strategies, analysis, webhooks, trafficManagement",
    ]);
    expect((result.deployment as { targets: Record<string, { account: string }> }).targets.east.account).toBe('prod-east');
  });
});
