/**
 * Where one manifest (or deploy.yml) comes from when it is an artifact: an expected artifact of
 * the pipeline, or an artifact defined in the stage itself (Deck's "Define a new artifact...").
 *
 * Only what index.js needs at start-up (the stage registration's artifact bookkeeping reads
 * these values); the rules for editing and saving them are in artifactRules.ts, loaded with the forms.
 */

/** An inline artifact as the author typed it (kork `Artifact` fields). */
export interface InlineArtifactValues {
  type?: string;
  artifactAccount?: string;
  /**
   * URL (http/file, github/file), or for embedded/base64 the contents as typed (encoded only in
   * the payload, so the stage JSON stays readable). `${...}` allowed.
   */
  reference?: string;
  /** Commit or branch (github/file). `${...}` allowed. */
  version?: string;
}

export interface ArtifactChoice {
  /** Absent or `expected`: an expected artifact (stages saved before inline artifacts have none). */
  source?: 'expected' | 'inline';
  expectedArtifactId?: string;
  /** Kept while the expected artifact is chosen (the form never loses it); saved only when inline. */
  inline?: InlineArtifactValues;
}

export const isInlineChoice = (c: ArtifactChoice | undefined): boolean => c?.source === 'inline';

/** Whether the choice names an artifact at all (an inline one may still have problems). */
export const isChosen = (c: ArtifactChoice | undefined): boolean => (isInlineChoice(c) ? true : !!c?.expectedArtifactId);

/** The expected artifact this choice uses, if it uses one (for Deck's artifact bookkeeping). */
export const chosenExpectedArtifactId = (c: ArtifactChoice | undefined): string | undefined =>
  isInlineChoice(c) ? undefined : c?.expectedArtifactId;

const isRec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strField = (r: Record<string, unknown>, k: keyof InlineArtifactValues) => (typeof r[k] === 'string' ? { [k]: r[k] as string } : {});

/** Reads a saved choice, tolerating hand-edited JSON ("Edit stage as JSON"). */
export function readChoice(saved: Record<string, unknown>): ArtifactChoice {
  const inline = isRec(saved.inline)
    ? { ...strField(saved.inline, 'type'), ...strField(saved.inline, 'artifactAccount'), ...strField(saved.inline, 'reference'), ...strField(saved.inline, 'version') }
    : undefined;
  return {
    ...(saved.source === 'inline' ? { source: 'inline' as const } : {}),
    ...(typeof saved.expectedArtifactId === 'string' ? { expectedArtifactId: saved.expectedArtifactId } : {}),
    ...(inline ? { inline } : {}),
  };
}
