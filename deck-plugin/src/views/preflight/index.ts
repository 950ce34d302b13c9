/** The requirements panel; the agents page mounts `<PreflightPanel />`. */
export { PreflightPanel, type PreflightPanelProps } from './PreflightPanel';
export { type PreflightApi, PreflightClient, type PreflightReport } from './PreflightClient';
export { PreflightApiProvider, defaultPreflightApi, usePreflight } from './usePreflight';
