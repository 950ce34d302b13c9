/**
 * The UI-Router names and parameters of the views, without React, so links, the registration and
 * the search URL builder agree. Deck's `addToRootState` puts root states under `home`; the tab is a
 * child of the application state.
 */
export const AGENTS_STATE = 'home.cdaasAgents';
export const AGENT_STATE = 'home.cdaasAgent';
export const APP_TAB_STATE = 'home.applications.application.cdaas';

/** The agents page: filter and sort. */
export const AGENTS_PARAMS = ['q', 'sort'] as const;
/** One agent's drill-down: the selection (namespace, deployment, replica set), filter and sorts. */
export const AGENT_PARAMS = ['namespace', 'deployment', 'replicaSet', 'q', 'sort', 'nsSort'] as const;
/** The application tab: the selected CDaaS deployment, filter and sort. */
export const APP_TAB_PARAMS = ['pipeline', 'q', 'sort'] as const;

export type AgentParams = { [K in (typeof AGENT_PARAMS)[number]]?: string };

/** Deck's URLs are hash URLs (`#/applications/...`): what a plain href needs. */
export function agentHref(agent: string, params: AgentParams = {}): string {
  const query = Object.entries(params)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
  return `#/cdaas/agents/${encodeURIComponent(agent)}${query ? `?${query}` : ''}`;
}

export const AGENTS_HREF = '#/cdaas/agents';

/** Deck's execution details of one stage of an execution. */
export function executionHref(application: string, executionId: string, stageRefId?: string): string {
  return `#/applications/${encodeURIComponent(application)}/executions/details/${encodeURIComponent(executionId)}${stageRefId ? `?refId=${encodeURIComponent(stageRefId)}` : ''}`;
}

export function appTabHref(application: string, pipelineId?: string): string {
  return `#/applications/${encodeURIComponent(application)}/cdaas${pipelineId ? `?pipeline=${encodeURIComponent(pipelineId)}` : ''}`;
}
