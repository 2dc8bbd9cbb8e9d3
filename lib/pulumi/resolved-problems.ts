/**
 * @internal Where the components report problems they find once Outputs resolve, besides the
 * rejection that fails the deployment (`pulumi up` prints that one). `capturePulumiProgram`
 * listens here because test runners such as jest keep unhandled rejections to themselves. A global
 * symbol, so that two copies of the library in one program share it. No imports: the testing
 * helper reads it without loading `@pulumi/kubernetes`.
 */
export const RESOLVED_PROBLEM_SINK = Symbol.for('openshift-registry-storage.pulumi.resolved-problems');

/** @internal Reports `e` to whoever listens at {@link RESOLVED_PROBLEM_SINK}. */
export function reportResolvedProblem(e: unknown): void {
  (globalThis as { [RESOLVED_PROBLEM_SINK]?: (e: unknown) => void })[RESOLVED_PROBLEM_SINK]?.(e);
}
