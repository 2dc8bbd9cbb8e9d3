/**
 * Snapshot helpers for cdk8s charts.
 */
import { Chart, Testing } from 'cdk8s';

/**
 * Synthesizes a chart and replaces every Secret value (`data`, `stringData`) by `'[secret]'`:
 * ready for `toMatchSnapshot()`, with no credential in the snapshot file.
 */
export function synthRedacted(chart: Chart): any[] {
  return Testing.synth(chart).map((m: any) => (m.kind === 'Secret'
    ? {
      ...m,
      ...(m.data ? { data: Object.fromEntries(Object.keys(m.data).map((k) => [k, '[secret]'])) } : {}),
      ...(m.stringData ? { stringData: Object.fromEntries(Object.keys(m.stringData).map((k) => [k, '[secret]'])) } : {}),
    }
    : m));
}
