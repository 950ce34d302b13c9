export * from './ManifestArtifactField';
export * from './artifactChoice';
export * from './artifactRules';
export * from './artifactEntries';
