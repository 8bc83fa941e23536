export const APP_NAME = '全民反诈'

/** Hotlines from the township work plan. `dial` is what the phone dials: digits only. */
export const HOTLINES = [
  { label: '反诈专线', number: '023-79332042', dial: '02379332042' },
  { label: '全国反诈专线', number: '96110', dial: '96110' },
] as const
