import React from 'react';

/** The current time, refreshed every `everyMs`, so ages ("3m") move without a reload. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
