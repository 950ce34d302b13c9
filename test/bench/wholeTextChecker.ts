/**
 * The single module's DeployYamlChecker: with CDAAS_SINGLE_MODULE=1, rollup.config.js builds this
 * in place of contract/src/deployYaml/incremental.ts, so the bench's "today" (build/single) checks
 * the whole text every time, as before the incremental checker, and the typing bench's
 * main-thread baseline stays today's validator.
 */
import type { CheckStats, DeployYamlChecker as Incremental } from '@cdaas/contract/deployYaml';
// From validate itself: the package's index re-exports this module in that build.
import { validateDeployYaml, type DeployYamlResult, type ValidateOptions } from '@cdaas/contract/deployYaml/validate';

export class DeployYamlChecker implements Pick<Incremental, 'validate' | 'stats'> {
  stats: CheckStats = { parse: 'whole', parsedPieces: 0, pieces: 0 };

  validate(text: string, options?: ValidateOptions): DeployYamlResult {
    return validateDeployYaml(text, options);
  }
}
