// The views' chunk: what lazyViews.tsx loads on first use.
export { AgentsPage } from './agents/AgentsPage';
export { ApplicationTab } from './application/ApplicationTab';
export { AgentView } from './cluster/AgentView';
