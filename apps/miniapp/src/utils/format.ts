const pad = (value: number) => String(value).padStart(2, '0')

/** 'YYYY-MM-DD HH:mm' in the device's time zone (the API speaks UTC ISO strings). */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}
