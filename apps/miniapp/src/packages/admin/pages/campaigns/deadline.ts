const pad = (value: number) => String(value).padStart(2, '0')

/** 'YYYY-MM-DD' of a day in the device's time zone, as the date picker speaks it. */
export function pickerDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** The picked day and time, in the device's time zone, as an instant. */
export function deadlineOf(date: string, time: string): Date {
  const [year, month, day] = date.split('-').map(Number)
  const [hours, minutes] = time.split(':').map(Number)
  // Field by field: an ISO-like string without an offset is read as UTC by some older WebViews.
  return new Date(year, month - 1, day, hours, minutes)
}

/** A week from today at 18:00: enough time for a unit to watch, and after working hours on the last day. */
export function defaultDeadline(now = new Date()): { date: string; time: string } {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 7)
  return { date: pickerDate(day), time: '18:00' }
}
