import React from 'react';

let counter = 0;

/** A stable, page-unique DOM id (React 16 has no useId). */
export function useFieldId(hint: string): string {
  const ref = React.useRef<string>();
  if (!ref.current) {
    counter += 1;
    ref.current = `cdaas-${hint.replace(/\W+/g, '-')}-${counter}`;
  }
  return ref.current;
}
