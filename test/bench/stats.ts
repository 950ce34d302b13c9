/** The middle value (the upper one of an even count), or 0 for none: the bench's Chromium parts' median. */
export const median = (xs: number[]): number => (xs.length ? xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);
