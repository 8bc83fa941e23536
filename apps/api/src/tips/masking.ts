import type { IdentifierKind } from '@qmfz/contracts';

/**
 * How a suspect identifier is shown on lists and to the reporter: enough to tell two apart, not enough to use.
 * Takes the normalised value (see `normalizeIdentifier`).
 *   phone            13912345678 → 139****5678, 02379332042 → 023****2042, +639171234567 → +63****4567
 *   bank card        6222021234567890128 → 6222 **** **** 0128 (the length is not shown either)
 *   payment account  a phone as above; an e-mail z***@qq.com; any other account ab***yz
 *   URL host         fraud-site.example.com → fr***.com
 *   WeChat id, QQ    wxid_abc123 → wx****23, 123456789 → 12****89
 */
export function maskIdentifier(kind: IdentifierKind, normalised: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(normalised);
    case 'bank_card':
      return `${normalised.slice(0, 4)} **** **** ${normalised.slice(-4)}`;
    case 'payment_account':
      if (/^\+?\d{7,}$/.test(normalised)) return maskPhone(normalised);
      if (normalised.includes('@')) return `${normalised[0]}***@${tail(normalised.slice(normalised.lastIndexOf('@') + 1), 60)}`;
      return normalised.length >= 6 ? `${normalised.slice(0, 2)}***${normalised.slice(-2)}` : `${normalised[0]}***`;
    case 'url': {
      const labels = normalised.split('.');
      return `${labels[0].slice(0, 2)}***.${tail(labels[labels.length - 1], 60)}`;
    }
    default:
      return normalised.length >= 6 ? `${normalised.slice(0, 2)}****${normalised.slice(-2)}` : `${normalised[0]}****`;
  }
}

/** The end of a long domain, so the masked form fits its 80-character column. */
function tail(text: string, max: number): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

function maskPhone(value: string): string {
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}
