import { randomInt } from 'node:crypto';
import { formatReceiptCode, normalizeReceiptCode, RECEIPT_ALPHABET, TIP_TEXT_LIMITS } from '@qmfz/contracts';

/*
 * Credentials that look right but are not, for the public tip routes: receipt codes (follow-up, additions, claim)
 * and signed image links. Used by tips-authorization.e2e-spec.ts.
 */

/** A well-formed receipt code, formatted as receipts show it, that no tip was given (odds of a hit: about 2⁻⁹⁹). */
export function guessedReceiptCode(): string {
  return formatReceiptCode(Array.from({ length: TIP_TEXT_LIMITS.receiptLength }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join(''));
}

/** The code with its last character replaced by another of the alphabet: one typo away from a real code. */
export function tamperedReceiptCode(code: string): string {
  const normalised = normalizeReceiptCode(code);
  if (!normalised) throw new Error('tamperedReceiptCode: not a receipt code');
  const last = normalised[normalised.length - 1];
  const replacement = RECEIPT_ALPHABET[(RECEIPT_ALPHABET.indexOf(last) + 1) % RECEIPT_ALPHABET.length];
  return formatReceiptCode(normalised.slice(0, -1) + replacement);
}

/** A signed link (`/path?exp=…&sig=…`) with one character of its signature changed. */
export function tamperedSignature(link: string): string {
  const url = new URL(link, 'http://link.invalid');
  const sig = url.searchParams.get('sig') ?? '';
  url.searchParams.set('sig', sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A'));
  return url.pathname + url.search;
}

/** The query (`exp`, `sig`) of a link signed for one image, put on the path of another image. */
export function linkMovedTo(link: string, attachmentId: string): string {
  const url = new URL(link, 'http://link.invalid');
  return `/api/tips/attachments/${attachmentId}/content${url.search}`;
}

/** The image's path without its signature. */
export function unsignedLink(attachmentId: string): string {
  return `/api/tips/attachments/${attachmentId}/content`;
}
