/**
 * Remembers the answers for the last few inputs. The stage forms check the same text from Formik's
 * validation, the payload and the rendered problem list on every keystroke; one check per text is
 * enough. The libraries themselves stay pure (the bench times them).
 */
export function memoizeRecent<R>(fn: (text: string) => R, size = 4): (text: string) => R {
  const recent = new Map<string, R>();
  return (text) => {
    if (recent.has(text)) return recent.get(text) as R;
    const result = fn(text);
    recent.set(text, result);
    if (recent.size > size) recent.delete(recent.keys().next().value as string);
    return result;
  };
}
