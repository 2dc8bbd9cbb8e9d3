import { RegistryConfigProblem, RegistryStoragePlan, RegistryStorageValidationError, registryConfig, validateRegistryConfigPatch } from '../lib';

/** The problems a planning function throws for `props` (empty when it plans). */
export function problemsOf<P>(plan: (p: P) => RegistryStoragePlan, props: P): RegistryConfigProblem[] {
  try {
    plan(props);
    return [];
  } catch (e) {
    if (e instanceof RegistryStorageValidationError) return [...e.problems];
    throw e;
  }
}

/** Asserts exactly one problem on `path` whose message contains `text`. */
export function expectProblem<P>(plan: (p: P) => RegistryStoragePlan, props: P, path: string, text: string): void {
  const problems = problemsOf(plan, props).filter((p) => p.path === path);
  expect(problems).toEqual([expect.objectContaining({ path, message: expect.stringContaining(text) })]);
}

/**
 * Asserts the plan's spec, applied to the live Config, is accepted by the CRD of the release the plan
 * was validated against (its `openshiftVersion`) and the operator's rules.
 */
export function expectValidConfig(plan: RegistryStoragePlan): void {
  expect(validateRegistryConfigPatch(registryConfig(plan.spec), { openshiftVersion: plan.openshiftVersion })).toEqual([]);
}

/** Asserts the plan succeeds with exactly one warning on `path` whose message contains `text`. */
export function expectWarning<P>(plan: (p: P) => RegistryStoragePlan, props: P, path: string, text: string): void {
  expect(problemsOf(plan, props)).toEqual([]);
  expect(plan(props).warnings.filter((w) => w.path === path)).toEqual([expect.objectContaining({ path, message: expect.stringContaining(text) })]);
}

/** The RegistryStorageValidationError `run` throws (the test fails when it throws nothing, or another error). */
export function failure(run: () => unknown): RegistryStorageValidationError {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RegistryStorageValidationError);
  return error as RegistryStorageValidationError;
}
