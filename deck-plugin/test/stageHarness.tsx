/**
 * Renders a stage config the way Deck's stage.module.js does: `updateStage` merges the changes into
 * the live stage object (minus the fields Deck reserves), which is what Deck later saves as JSON.
 */
import type { Application, IPipeline, IStage, IStageConfigProps } from '@spinnaker/core';
import { render } from '@testing-library/react';
import React from 'react';

const RESERVED = ['requisiteStageRefIds', 'refId', 'isNew', 'name', 'type'];

export function renderStageConfig(
  Component: React.ComponentType<IStageConfigProps>,
  opts: { stage?: Partial<IStage>; pipeline?: Partial<IPipeline>; application?: string } = {},
) {
  const stage = { refId: '1', requisiteStageRefIds: [], name: 'Deploy to prod', type: 'cdaasDeploy', ...opts.stage } as IStage;
  const pipeline = {
    id: 'a1b2c3',
    name: 'ship-it',
    application: opts.application ?? 'shop',
    stages: [stage],
    triggers: [],
    expectedArtifacts: [],
    ...opts.pipeline,
  } as unknown as IPipeline;
  if (!pipeline.stages.includes(stage)) pipeline.stages.push(stage);
  const application = { name: opts.application ?? 'shop' } as unknown as Application;
  const updates: Array<Record<string, unknown>> = [];
  const updateStage = (changes: Record<string, unknown>) => {
    updates.push(changes);
    for (const [k, v] of Object.entries(changes)) if (!RESERVED.includes(k)) (stage as Record<string, unknown>)[k] = v;
  };
  const result = render(
    <Component
      application={application}
      pipeline={pipeline}
      stage={stage}
      updateStage={updateStage}
      updateStageField={updateStage}
      stageFieldUpdated={() => undefined}
    />,
  );
  /** The stage as Deck would save it (JSON drops undefined values). */
  const saved = () => JSON.parse(JSON.stringify(stage));
  return { ...result, stage, pipeline, updates, saved };
}
