/** The bench tools' command-line options: each call takes its option out of `args`, leaving the positional arguments. */

/** The value after `name` (`--runs 3`), or undefined when it is not given. */
export function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
}

/** Whether the flag `name` (`--js`) is given. */
export function flag(args: string[], name: string): boolean {
  const at = args.indexOf(name);
  return at >= 0 && args.splice(at, 1).length > 0;
}
