/**
 * The table a person reads at a glance: one row per check, grouped, with the fix under every
 * warning and failure; then a one-line summary.
 */
import type { CheckState, PreflightAnswer } from '@cdaas/contract/preflight';

const LABEL: Record<CheckState, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };
const COLOR: Record<CheckState, string> = { pass: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', skip: '\x1b[2m' };

export function formatTable(answer: PreflightAnswer, opts: { color?: boolean; width?: number } = {}): string {
  const paint = (state: CheckState, text: string) => (opts.color ? `${COLOR[state]}${text}\x1b[0m` : text);
  const idWidth = Math.min(40, Math.max(5, ...answer.checks.map((c) => c.id.length)));
  const lines: string[] = [`${'STATE'.padEnd(5)}  ${'CHECK'.padEnd(idWidth)}  DETAIL`];
  let group = '';
  for (const c of answer.checks) {
    if (c.group !== group) {
      group = c.group;
      lines.push(`-- ${group}`);
    }
    lines.push(`${paint(c.state, LABEL[c.state])}   ${c.id.padEnd(idWidth)}  ${c.detail}`);
    if (c.fix) lines.push(`${' '.repeat(7 + idWidth + 2)}fix: ${c.fix}`);
  }
  const s = answer.summary;
  lines.push('', `${s.fail} failed, ${s.warn} warning(s), ${s.pass} passed, ${s.skip} skipped in ${(answer.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
