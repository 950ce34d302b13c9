import React from 'react';

import { afterNextPaint } from './afterPaint';

/**
 * Renders `children` from the task after the first frame painted with the tree it is in, and from
 * then on as any child. For the parts of a form below the fold: the first frame then builds, lays
 * out and paints only what is on screen, and the rest follows with its real controls one frame
 * later, before the user can scroll to it. Only this component renders again when they come, not
 * the form around it.
 */
export function AfterFirstPaint({ children }: { children: React.ReactNode }) {
  const [painted, setPainted] = React.useState(false);
  React.useEffect(() => afterNextPaint(() => setPainted(true)), []);
  return painted ? <>{children}</> : null;
}
