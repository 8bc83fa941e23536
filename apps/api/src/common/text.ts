// C0 and C1 control characters (newlines, tabs, NUL, escape…): never meaningful in a name or a code, and a
// source of broken exports and forged log lines.
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;

/** True for single-line text without control characters. */
export function isPlainText(value: string): boolean {
  return !CONTROL_CHARACTERS.test(value);
}
