/**
 * Artifact types the bridge can turn into manifest text. Its own module, without valibot, so the
 * Deck module's start-up code (index.js) can read it without the contract's validators.
 */
export const SUPPORTED_ARTIFACT_TYPES = ['embedded/base64', 'http/file', 'github/file'] as const;
export type SupportedArtifactType = (typeof SUPPORTED_ARTIFACT_TYPES)[number];

/** Types whose artifacts carry a version (github/file: the commit or branch). */
export const VERSIONED_ARTIFACT_TYPES: readonly string[] = ['github/file'];
