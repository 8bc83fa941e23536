const pad = (value: number) => String(value).padStart(2, '0')

/** 'YYYY-MM-DD HH:mm' in the device's time zone (the API speaks UTC ISO strings). */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** Seconds as a clock, `m:ss` (or `h:mm:ss`), rounded down: for time watched against a video's length. */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds))
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = pad(seconds % 60)
  return hours > 0 ? `${hours}:${pad(minutes)}:${rest}` : `${minutes}:${rest}`
}

/** Seconds in words, `12分30秒`, rounded to the second: for a video's length in lists. */
export function formatDurationWords(totalSeconds: number): string {
  const whole = Math.max(0, Math.round(totalSeconds))
  const hours = Math.floor(whole / 3600)
  const minutes = Math.floor((whole % 3600) / 60)
  const seconds = whole % 60
  return [hours ? `${hours}小时` : '', minutes ? `${minutes}分` : '', seconds || whole === 0 ? `${seconds}秒` : ''].join('')
}
