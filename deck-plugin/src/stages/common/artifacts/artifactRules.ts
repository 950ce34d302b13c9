/**
 * The rules for an artifact choice that the forms and their checks use: a new inline artifact,
 * what a stage saves of a choice, an inline artifact's problems, how a choice is named. Loaded
 * with the forms (index.js has only artifactChoice.ts).
 */
import { SUPPORTED_ARTIFACT_TYPES, VERSIONED_ARTIFACT_TYPES } from '@cdaas/contract/artifactTypes';
import { isSpel } from '@cdaas/contract/spel';

import { type ArtifactChoice, type InlineArtifactValues, isInlineChoice } from './artifactChoice';

/** A new inline artifact: http/file, the kind the bridge reads most often. */
export const newInlineArtifact = (): InlineArtifactValues => ({ type: 'http/file' });

export function typeHasVersion(type: string | undefined): boolean {
  return !!type && VERSIONED_ARTIFACT_TYPES.includes(type);
}

/** A choice as a row saves it; `displayName` is the expected artifact's name as Deck showed it. */
export type SavedChoice = ArtifactChoice & { displayName?: string };

/**
 * What the stage saves of a choice: the inline artifact only while inline is chosen, the expected
 * artifact (without `source`, as saved before inline artifacts) otherwise.
 */
export function savedChoice(choice: SavedChoice): SavedChoice {
  if (isInlineChoice(choice)) return { source: 'inline', inline: compactInline(choice.inline ?? {}) };
  return {
    ...(choice.expectedArtifactId ? { expectedArtifactId: choice.expectedArtifactId } : {}),
    ...(choice.displayName ? { displayName: choice.displayName } : {}),
  };
}

function compactInline(inline: InlineArtifactValues): InlineArtifactValues {
  const out: InlineArtifactValues = {};
  if (inline.type) out.type = inline.type;
  if (inline.artifactAccount) out.artifactAccount = inline.artifactAccount;
  if (inline.reference) out.reference = inline.reference;
  if (inline.version && typeHasVersion(inline.type)) out.version = inline.version;
  return out;
}

export interface InlineArtifactProblems {
  type?: string;
  reference?: string;
}

/**
 * What is wrong with an inline artifact, field by field, or undefined. The form shows these under
 * each field and the stage validators report the same words, so Deck's save bar agrees.
 */
export function inlineArtifactProblems(inline: InlineArtifactValues | undefined): InlineArtifactProblems | undefined {
  const a = inline ?? {};
  const problems: InlineArtifactProblems = {};
  if (!a.type) problems.type = 'Choose the artifact type.';
  else if (!(SUPPORTED_ARTIFACT_TYPES as readonly string[]).includes(a.type)) {
    problems.type = `CD-as-a-Service cannot read ${a.type} artifacts; use one of ${SUPPORTED_ARTIFACT_TYPES.join(', ')}.`;
  }
  const reference = (a.reference ?? '').trim();
  if (a.type === 'embedded/base64') {
    if (!reference) problems.reference = 'Enter the contents.';
  } else if (!reference) {
    problems.reference = a.type === 'github/file' ? 'Enter the content URL (https://api.github.com/repos/ORG/REPO/contents/PATH).' : 'Enter the URL of the file.';
  } else if (!isSpel(reference) && !/^https?:\/\/[^/\s]+/i.test(reference)) {
    problems.reference = 'Enter an absolute http(s) URL, or an expression such as ${trigger.properties.url}.';
  }
  return Object.keys(problems).length ? problems : undefined;
}

/** The first problem of a choice as one sentence, for the stage validators; undefined when usable. */
export function inlineArtifactSummary(inline: InlineArtifactValues | undefined): string | undefined {
  const p = inlineArtifactProblems(inline);
  return p && (p.type ?? p.reference);
}

/** How the form names a chosen artifact: the expected artifact's name, or the inline artifact's type. */
export function choiceName(c: ArtifactChoice, expectedName: (id: string) => string): string | undefined {
  if (isInlineChoice(c)) return c.inline?.type ? `inline ${c.inline.type}` : 'inline artifact';
  return c.expectedArtifactId ? expectedName(c.expectedArtifactId) : undefined;
}
