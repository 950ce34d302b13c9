/**
 * Duration units as deploy.yml spells them (pause steps, deploymentConfig.timeout), for the deploy.yml
 * library, the Deploy form, the execution details, the bridge's status text and the emulator alike.
 */

export const DURATION_UNITS = ['seconds', 'minutes', 'hours'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** "seconds, minutes or hours", for messages that list the choices. */
export const DURATION_UNITS_TEXT = `${DURATION_UNITS.slice(0, -1).join(', ')} or ${DURATION_UNITS[DURATION_UNITS.length - 1]}`;

const UNIT_SECONDS: Record<DurationUnit, number> = { seconds: 1, minutes: 60, hours: 3600 };

export function isDurationUnit(value: unknown): value is DurationUnit {
  return typeof value === 'string' && (DURATION_UNITS as readonly string[]).includes(value);
}

/** The duration in seconds; 0 for a unit deploy.yml does not know (it is reported elsewhere). */
export function durationSeconds(duration: number, unit: unknown): number {
  return isDurationUnit(unit) ? duration * UNIT_SECONDS[unit] : 0;
}

/**
 * "1 minute", "90 seconds". The unit is read case-insensitively and singular or plural, since the
 * step answers of CD-as-a-Service are not documented to spell it as deploy.yml does.
 */
export function durationText(duration: number, unit = 'seconds'): string {
  const singular = unit.toLowerCase().replace(/s$/, '');
  return `${duration} ${singular}${duration === 1 ? '' : 's'}`;
}
