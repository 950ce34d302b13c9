/**
 * The form's own values, saved under `stage.cdaas` so that reopening the form shows exactly what
 * was typed. Numbers stay strings as typed: an invalid entry is kept (and flagged), never erased,
 * and a field may hold a Spinnaker expression instead of a number.
 */
import type { DurationUnit } from '@cdaas/contract/durations';

import { type ArtifactChoice, readChoice } from '../common/artifacts/artifactChoice';

export type StepKind = 'setWeight' | 'pauseUntilApproved' | 'pauseDuration';

export interface StepValues {
  kind: StepKind;
  /** Percent of traffic, 1-100, for `setWeight`. */
  weight?: string;
  /** For `pauseDuration`. */
  duration?: string;
  unit?: DurationUnit;
}

/** One manifest artifact row: an expected artifact or one defined inline (both kept while editing). */
export interface ArtifactManifestValues extends ArtifactChoice {
  /** The expected artifact's name as Deck showed it when picked; used in the bridge's error messages. */
  displayName?: string;
}

export type ManifestSource = 'text' | 'artifact';
export type StrategyKind = 'canary' | 'blueGreen';

export interface CdaasDeployFormValues {
  account: string;
  namespace: string;
  /** The CD-as-a-Service application; empty means the Spinnaker application. */
  application: string;
  manifestSource: ManifestSource;
  /** Kept when the source is `artifact` (and the other way round) so switching loses nothing. */
  manifestText: string;
  manifestArtifacts: ArtifactManifestValues[];
  strategy: StrategyKind;
  canarySteps: StepValues[];
  blueGreen: {
    activeService: string;
    previewService: string;
    redirectTrafficAfter: StepValues[];
    shutDownOldVersionAfter: StepValues[];
  };
  timeout: { duration: string; unit: DurationUnit };
}

export function defaultFormValues(application: string): CdaasDeployFormValues {
  return {
    account: '',
    namespace: '',
    application,
    manifestSource: 'text',
    manifestText: '',
    manifestArtifacts: [{}],
    strategy: 'canary',
    canarySteps: [
      { kind: 'setWeight', weight: '25' },
      { kind: 'pauseUntilApproved' },
      { kind: 'setWeight', weight: '100' },
    ],
    blueGreen: {
      activeService: '',
      previewService: '',
      redirectTrafficAfter: [{ kind: 'pauseUntilApproved' }],
      shutDownOldVersionAfter: [{ kind: 'pauseDuration', duration: '10', unit: 'minutes' }],
    },
    timeout: { duration: '30', unit: 'minutes' },
  };
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback: string): string =>
  typeof v === 'string' ? v : typeof v === 'number' && isFinite(v) ? String(v) : fallback;
// Not the contract's isDurationUnit: index.js reads these values (the stage's registration), and
// that module is shared with the deploy.yml worker, so it is a chunk of its own that index.js would
// fetch before Deck could register anything: one more request through Gate at every Deck start.
// A Record of the contract's type: tsc fails here when a unit is added there.
const UNITS: Readonly<Record<DurationUnit, true>> = { seconds: true, minutes: true, hours: true };
const unit = (v: unknown, fallback: DurationUnit): DurationUnit =>
  typeof v === 'string' && Object.prototype.hasOwnProperty.call(UNITS, v) ? (v as DurationUnit) : fallback;

function readSteps(v: unknown, fallback: StepValues[]): StepValues[] {
  if (!Array.isArray(v)) return fallback;
  return v.filter(isRec).map((s): StepValues => {
    if (s.kind === 'pauseUntilApproved') return { kind: 'pauseUntilApproved' };
    if (s.kind === 'pauseDuration') return { kind: 'pauseDuration', duration: str(s.duration, ''), unit: unit(s.unit, 'minutes') };
    return { kind: 'setWeight', weight: str(s.weight, '') };
  });
}

/**
 * The form values a saved stage holds, completed with defaults. Tolerates hand-edited stage JSON
 * ("Edit stage as JSON"): anything unreadable falls back to its default instead of breaking the form.
 */
export function readFormValues(saved: unknown, application: string): CdaasDeployFormValues {
  const d = defaultFormValues(application);
  if (!isRec(saved)) return d;
  const bg = isRec(saved.blueGreen) ? saved.blueGreen : {};
  const timeout = isRec(saved.timeout) ? saved.timeout : {};
  return {
    account: str(saved.account, d.account),
    namespace: str(saved.namespace, d.namespace),
    application: str(saved.application, d.application),
    manifestSource: saved.manifestSource === 'artifact' ? 'artifact' : 'text',
    manifestText: str(saved.manifestText, d.manifestText),
    manifestArtifacts: Array.isArray(saved.manifestArtifacts)
      ? saved.manifestArtifacts.filter(isRec).map((a) => ({
          ...readChoice(a),
          ...(typeof a.displayName === 'string' ? { displayName: a.displayName } : {}),
        }))
      : d.manifestArtifacts,
    strategy: saved.strategy === 'blueGreen' ? 'blueGreen' : 'canary',
    canarySteps: readSteps(saved.canarySteps, d.canarySteps),
    blueGreen: {
      activeService: str(bg.activeService, d.blueGreen.activeService),
      previewService: str(bg.previewService, d.blueGreen.previewService),
      redirectTrafficAfter: readSteps(bg.redirectTrafficAfter, d.blueGreen.redirectTrafficAfter),
      shutDownOldVersionAfter: readSteps(bg.shutDownOldVersionAfter, d.blueGreen.shutDownOldVersionAfter),
    },
    timeout: { duration: str(timeout.duration, d.timeout.duration), unit: unit(timeout.unit, d.timeout.unit) },
  };
}
