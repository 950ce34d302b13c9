import { DURATION_UNITS, DURATION_UNITS_TEXT, durationSeconds, durationText, isDurationUnit } from './durations';

describe('duration units', () => {
  it('are the three deploy.yml knows, listed in words', () => {
    expect(DURATION_UNITS).toEqual(['seconds', 'minutes', 'hours']);
    expect(DURATION_UNITS_TEXT).toBe('seconds, minutes or hours');
    expect(isDurationUnit('minutes')).toBe(true);
    expect(isDurationUnit('MINUTES')).toBe(false);
    expect(isDurationUnit('days')).toBe(false);
  });

  it('convert to seconds, an unknown unit to 0', () => {
    expect(durationSeconds(90, 'seconds')).toBe(90);
    expect(durationSeconds(2, 'minutes')).toBe(120);
    expect(durationSeconds(1, 'hours')).toBe(3600);
    expect(durationSeconds(5, 'days')).toBe(0);
  });

  it('word a duration in the singular only for 1, whatever case or number the unit came in', () => {
    expect(durationText(1, 'minutes')).toBe('1 minute');
    expect(durationText(30)).toBe('30 seconds');
    expect(durationText(2, 'HOURS')).toBe('2 hours');
    expect(durationText(1, 'second')).toBe('1 second');
  });
});
