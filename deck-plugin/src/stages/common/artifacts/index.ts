export * from './ManifestArtifactField';
