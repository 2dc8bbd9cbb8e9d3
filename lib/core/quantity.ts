/**
 * Kubernetes resource quantities (`100Gi`, `0.5Ti`, `107374182400`), enough to compare sizes.
 * @internal
 */
const SUFFIX: Record<string, number> = {
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** Bytes in a quantity, or undefined when it is not a valid quantity. */
export function quantityBytes(q: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|)$/.exec(q) ?? /^([0-9]+(?:\.[0-9]*)?)[eE]([0-9]+)$/.exec(q);
  if (!m) return undefined;
  if (/[eE]/.test(q)) return Number(m[1]) * 10 ** Number(m[2]);
  return Number(m[1]) * SUFFIX[m[2]];
}
