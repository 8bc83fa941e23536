/** Mainland mobile numbers only: 11 digits starting 13–19, with an optional +86/0086 prefix and separators. */
export function normalizeMobile(input: string): string | null {
  const compact = input.replace(/[\s\-()]/g, '').replace(/^(\+?86|0086)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(compact) ? compact : null;
}

/** 13812345678 → 138****5678 */
export function maskMobile(normalised: string): string {
  return `${normalised.slice(0, 3)}****${normalised.slice(-4)}`;
}

export const PHONE_INDEX_NAMESPACE = 'phone';
