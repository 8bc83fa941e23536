export const APP_NAME = '全民反诈'

/** Hotlines from the township work plan; shown as plain text so they can be read out or copied. */
export const HOTLINES = [
  { label: '反诈专线', number: '023-79332042' },
  { label: '全国反诈专线', number: '96110' },
] as const
