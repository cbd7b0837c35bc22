/**
 * Kubernetes resource quantities ("500m", "1Gi", "129e6", "2") as numbers in base units: CPU in
 * cores, memory in bytes (kube-state-metrics' units). Pure; undefined for what is not a
 * quantity (a garbage object must not become a number).
 */
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/;

export function parseQuantity(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text.trim());
  if (m === null) return undefined;
  // Decimal exponents through Number's own parsing ("100e-9"): exact where 100 * 1e-9 is not.
  if (m[2] !== undefined) return Number(`${m[1]}${m[2]}`);
  const suffix = m[3] ?? '';
  const decimal = DECIMAL_EXPONENT[suffix];
  if (decimal !== undefined) return Number(`${m[1]}e${decimal}`);
  return Number(m[1]) * (SUFFIX[suffix] ?? 1);
}
