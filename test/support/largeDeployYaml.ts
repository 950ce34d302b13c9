/**
 * A large generated deploy.yml, for the bench (validation, typing) and for tests that need a file
 * of real size (the incremental checker's differential test, the split-loading e2e test).
 */
const TARGET_LINES = 5000;
const REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ap-northeast-1'];

/**
 * A deploy.yml shaped like a large real one: many services' environments as targets chained with
 * dependsOn, canary and blue/green strategies with every step kind, analysis queries, webhooks,
 * path and inline manifests, traffic management. Grows until it reaches `lines` lines.
 */
export function generateDeployYaml(lines = TARGET_LINES): string {
  const head = [
    '# Generated for the benchmark: a large multi-region deploy.yml.',
    'version: v1',
    'kind: kubernetes',
    'application: potato-facts',
    'deploymentConfig:',
    '  timeout:',
    '    unit: minutes',
    '    duration: 45',
    '  keepDeploymentObject: true',
    '  ifDeploymentInProgress:',
    '    strategy: enqueueOne',
  ];
  // Sections are generated per "unit" (one strategy, one query, one webhook, a few targets and
  // manifests), then assembled; units are added until the line count is reached.
  const targets: string[] = [];
  const strategies: string[] = [];
  const queries: string[] = [];
  const webhooks: string[] = [];
  const manifests: string[] = [];
  const traffic: string[] = [];
  const total = () => head.length + targets.length + strategies.length + queries.length + webhooks.length + manifests.length + traffic.length + 8;
  let unit = 0;
  let previousTarget: string | undefined;
  while (total() < lines) {
    const strategy = unit % 4 === 3 ? `blue-green-${unit}` : `canary-${unit}`;
    const query = `error-rate-${unit}`;
    const hook = `smoke-tests-${unit}`;
    if (unit % 4 === 3) {
      strategies.push(
        `  ${strategy}:`,
        '    blueGreen:',
        `      activeService: svc-${unit}-active`,
        `      previewService: svc-${unit}-preview`,
        '      redirectTrafficAfter:',
        '        - analysis:',
        '            interval: 30',
        '            units: seconds',
        '            numberOfJudgmentRuns: 2',
        `            queries: [${query}]`,
        '        - exposeServices:',
        `            services: [svc-${unit}-preview]`,
        '            ttl: {duration: 30, unit: minutes}',
        '      shutDownOldVersionAfter:',
        '        - pause:',
        '            duration: 1',
        '            unit: hours',
      );
    } else {
      strategies.push(
        `  ${strategy}:`,
        '    canary:',
        '      steps:',
        '        - setWeight:',
        '            weight: 10',
        '        - runWebhook:',
        `            name: ${hook}`,
        '        - setWeight:',
        '            weight: 25',
        '        - pause:',
        '            untilApproved: true',
        '        - setWeight:',
        '            weight: ${parameters.midWeight}',
        '        - analysis:',
        '            interval: 60',
        '            units: seconds',
        '            numberOfJudgmentRuns: 3',
        '            rollBackMode: automatic',
        '            rollForwardMode: manual',
        '            context:',
        `              team: team-${unit % 7}`,
        '            queries:',
        `              - ${query}`,
        '        - setWeight:',
        '            weight: 75',
        '        - pause:',
        '            duration: 5',
        '            unit: minutes',
      );
    }
    queries.push(
      `    - name: ${query}`,
      '      upperLimit: 5',
      '      lowerLimit: 0',
      '      queryTemplate: >-',
      `        sum(rate(http_requests_total{app="svc-${unit}",code=~"5.."}[{{armory.promQlStepInterval}}])) /`,
      `        sum(rate(http_requests_total{app="svc-${unit}"}[{{armory.promQlStepInterval}}])) * 100`,
    );
    webhooks.push(
      `  - name: ${hook}`,
      '    method: POST',
      `    uriTemplate: https://ci.example.com/job/svc-${unit}-smoke/buildWithParameters`,
      '    networkMode: direct',
      '    headers:',
      '      - key: Authorization',
      '        value: Bearer {{secrets.ci_token}}',
      '    bodyTemplate:',
      '      inline: >-',
      '        {"callbackUri": "{{armory.callbackUri}}/callback", "env": "{{armory.environmentName}}"}',
      '    retryCount: 3',
    );
    const unitTargets: string[] = [];
    for (const region of REGIONS.slice(0, 3)) {
      const name = `svc-${unit}-${region}`;
      unitTargets.push(name);
      targets.push(
        `  ${name}:`,
        `    account: prod-${region}`,
        `    namespace: svc-${unit}`,
        `    strategy: ${strategy}`,
        '    constraints:',
        ...(previousTarget ? [`      dependsOn: [${previousTarget}]`] : []),
        '      beforeDeployment:',
        '        - pause:',
        '            untilApproved: true',
        '      afterDeployment:',
        '        - runWebhook:',
        `            name: ${hook}`,
      );
    }
    previousTarget = unitTargets[0];
    manifests.push(`  - path: manifests/svc-${unit}/deployment.yml`, `    targets: [${unitTargets.join(', ')}]`);
    if (unit % 5 === 0) {
      manifests.push(
        '  - inline:',
        '      value: |',
        '        apiVersion: v1',
        '        kind: ConfigMap',
        '        metadata:',
        `          name: svc-${unit}-flags`,
        '        data:',
        '          release: "${trigger.buildInfo.number}"',
        `    targets: [${unitTargets[0]}]`,
      );
    }
    if (unit % 4 !== 3) {
      traffic.push(`  - targets: [${unitTargets.join(', ')}]`, '    smi:', `      - rootServiceName: svc-${unit}`, `        trafficSplitName: svc-${unit}-split`);
    }
    unit++;
  }
  return [
    ...head,
    'targets:',
    ...targets,
    'manifests:',
    ...manifests,
    'strategies:',
    ...strategies,
    'analysis:',
    '  defaultMetricProviderName: prometheus-prod',
    '  queries:',
    ...queries,
    'webhooks:',
    ...webhooks,
    'trafficManagement:',
    ...traffic,
    '',
  ].join('\n');
}
