import type { IdentifierKind } from '@qmfz/contracts';

/**
 * How a suspect identifier is shown on lists and to the reporter: enough to tell two apart, not enough to use.
 * Takes the normalised value (see `normalizeIdentifier`). Never shows more than about half of a value:
 *   phone            13912345678 → 139****5678, 02379332042 → 023****2042, +639171234567 → +63****4567
 *   bank card        6222021234567890128 → 6222 **** **** 0128 (the length is not shown either)
 *   payment account  a phone number as above; an e-mail z***@qq.com; any other account fr***01 (`keepEnds`)
 *   URL host         fraud-site.example.com → fr***.com, 中奖.网址 → ***.网址
 *   WeChat id, QQ    wxid_abc123 → wx****23, 123456789 → 12****89
 */
export function maskIdentifier(kind: IdentifierKind, normalised: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(normalised);
    case 'bank_card':
      return `${normalised.slice(0, 4)} **** **** ${normalised.slice(-4)}`;
    case 'payment_account':
      if (isPhoneNumber(normalised)) return maskPhone(normalised);
      if (normalised.includes('@')) return maskEmail(normalised);
      return keepEnds(normalised, '***');
    case 'url':
      return maskHost(normalised);
    default:
      return keepEnds(normalised, '****');
  }
}

/**
 * What `normalizeIdentifier` makes of a phone number: a mainland mobile, a landline with its area code, a 400/800
 * number, or a foreign number in E.164. A payment account is one of these only when it is a phone number; any
 * other run of digits (an account number) is not, and must not get the phone mask, which keeps 7 characters.
 */
const PHONE_NUMBER = /^(1[3-9]\d{9}|0[1-9]\d{8,10}|[48]00\d{7}|\+[1-9]\d{7,14})$/;

export function isPhoneNumber(normalised: string): boolean {
  return PHONE_NUMBER.test(normalised);
}

/**
 * At most a quarter of the value, and at most two characters, at each end (`startOnly`: only at the start):
 * `fraud_account_01` → `fr***01`, `10001` → `1****1`, `abc` → `***`.
 */
function keepEnds(value: string, stars: string, startOnly = false): string {
  const chars = [...value];
  const keep = Math.min(2, Math.floor(chars.length / 4));
  if (keep === 0) return stars;
  return chars.slice(0, keep).join('') + stars + (startOnly ? '' : chars.slice(-keep).join(''));
}

/**
 * The start of the first label and the top-level domain (`fr***.com`), which tells a `.top` site from a `.cn` one.
 * A "top-level domain" longer than a quarter of the host is no real one and is masked like the rest.
 */
function maskHost(host: string): string {
  const labels = host.split('.');
  const last = labels[labels.length - 1];
  const shownLast = [...last].length <= Math.max(3, Math.floor([...host].length / 4)) ? last : keepEnds(last, '***');
  return `${keepEnds(labels[0], '***', true)}.${shownLast}`;
}

/** The provider's domain stays (it tells QQ mail from 163); of the mailbox at most its first character. */
function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  const mailbox = [...value.slice(0, at)];
  const shown = mailbox.length >= 4 ? mailbox[0] : '';
  return `${shown}***@${tail(value.slice(at + 1), 60)}`;
}

/** The end of a long domain, so the masked form fits its 80-character column. */
function tail(text: string, max: number): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

function maskPhone(value: string): string {
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}
