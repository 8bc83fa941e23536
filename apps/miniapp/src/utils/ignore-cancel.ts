/**
 * Navigation and clipboard calls reject when the person backs out (or, for the clipboard, declines privacy
 * consent); nothing is left to do then, so the rejection is answered here rather than left unhandled.
 */
export function ignoreCancel(promise: Promise<unknown>): void {
  promise.catch(() => undefined)
}
