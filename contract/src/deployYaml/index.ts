// deploy.yml: types, validation with positions, manifest checks and the "what was understood" summary.
// Pure TypeScript (no React): it runs in the Deck bundle and in Node (bench, tests).
export * from './types';
export { checkManifestText } from './manifests';
export { describeProblem, formatProblem, sortProblems, type TextProblem } from './problems';
export { validateDeployYaml, type DeployYamlResult, type ManifestPathEntry } from './validate';
export { DeployYamlChecker, type CheckStats } from './incremental';
export { describeStep, summarizeDeployment, summaryLines, type DeploymentSummary, type ManifestSummary, type StrategySummary, type TargetSummary } from './summary';
export { didYouMean, listNames } from './text';
