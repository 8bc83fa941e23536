/** Mainland mobile numbers only: 11 digits starting 13–19, with an optional +86/0086 prefix and separators. */
export function normalizeMobile(input: string): string | null {
  const compact = input.replace(/[\s\-()]/g, '').replace(/^(\+?86|0086)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(compact) ? compact : null;
}

/** 13812345678 → 138****5678 */
export function maskMobile(normalised: string): string {
  return `${normalised.slice(0, 3)}****${normalised.slice(-4)}`;
}

/** Blind index of users' phones: how sign-in and rosters find a person by number. */
export const PHONE_INDEX_NAMESPACE = 'phone';

/**
 * Blind index of tip reporters' and reward claimants' phones, for tallies per reporter. A namespace of its own, so
 * someone reading the database cannot join a named tip to the user account with the same number.
 */
export const REPORTER_PHONE_INDEX_NAMESPACE = 'tip-reporter-phone';
