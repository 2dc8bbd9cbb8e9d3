import { ScenarioContext } from '../harness';

/** One e2e case. A negative case passes only when it fails at `mustFail.step` for `mustFail.reason`. */
export interface Scenario {
  readonly name: string;
  /** What the case proves, printed with its result. */
  readonly proves: string;
  readonly mustFail?: { readonly step: string; readonly reason: RegExp };
  readonly run: (ctx: ScenarioContext) => Promise<void>;
}
