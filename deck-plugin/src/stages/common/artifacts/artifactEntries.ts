/**
 * A choice (expected or inline artifact) as the deploy contract carries it. Both stages build
 * their payload's `artifacts` here, so an inline artifact reaches the bridge the same way from each.
 */
import type { ArtifactManifest, KorkArtifact } from '@cdaas/contract/deploy';
import { expectedArtifactEntry, inlineArtifactEntry } from '@cdaas/contract/deploy';

import { type ArtifactChoice, type InlineArtifactValues, isInlineChoice } from './artifactChoice';
import { typeHasVersion } from './artifactRules';

/** UTF-8 text as base64, in chunks (a spread of a large manifest would overflow the call stack). */
export function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The kork artifact Orca receives. For embedded/base64 the form keeps the contents as typed
 * (`reference` holds them, readable in the stage JSON); kork wants them base64-encoded.
 */
export function inlineKorkArtifact(inline: InlineArtifactValues): KorkArtifact {
  const type = inline.type ?? '';
  const reference = inline.reference ?? '';
  return {
    type,
    ...(inline.artifactAccount ? { artifactAccount: inline.artifactAccount } : {}),
    ...(reference ? { reference: type === 'embedded/base64' ? encodeBase64(reference) : reference.trim() } : {}),
    ...(inline.version?.trim() && typeHasVersion(type) ? { version: inline.version.trim() } : {}),
  };
}

/** The payload entry for `path`, or undefined when nothing is chosen yet. */
export function artifactEntryFor(path: string, choice: ArtifactChoice, displayName?: string): ArtifactManifest | undefined {
  if (isInlineChoice(choice)) return inlineArtifactEntry(path, inlineKorkArtifact(choice.inline ?? {}));
  return choice.expectedArtifactId ? expectedArtifactEntry(path, choice.expectedArtifactId, displayName) : undefined;
}
