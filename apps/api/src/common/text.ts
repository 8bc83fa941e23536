// C0 and C1 control characters (newlines, tabs, NUL, escape…): never meaningful in a name or a code, and a
// source of broken exports and forged log lines.
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;
// The same, less line breaks and tabs: what text of several lines (a description, a reply, an addition) may hold.
const CONTROL_EXCEPT_LINE_BREAKS_AND_TABS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** True for single-line text without control characters. */
export function isPlainText(value: string): boolean {
  return !CONTROL_CHARACTERS.test(value);
}

/** True for text of several lines: line breaks (`\n`, `\r\n`) and tabs, but no other control character. */
export function isMultilineText(value: string): boolean {
  return !CONTROL_EXCEPT_LINE_BREAKS_AND_TABS.test(value);
}
