import type { TallyPeriod } from '@qmfz/contracts';

/*
 * Calendar days, ISO weeks and months as people in China count them. China Standard Time has been UTC+8 all
 * year since 1991 (no daylight saving), so a fixed offset is exact and needs no time-zone database.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

export const SHANGHAI_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `2026-11-01` that names a real day (not `2026-02-30`). */
export function isShanghaiDate(text: unknown): text is string {
  if (typeof text !== 'string' || !SHANGHAI_DATE_PATTERN.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** The instant a Shanghai day begins: `2026-11-01` → 2026-10-31T16:00:00Z. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

/** The instant after a Shanghai day ends (the next day's start): the exclusive end of an inclusive range. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(startOfShanghaiDay(date).getTime() + DAY_MS);
}

/** The Shanghai calendar day of an instant. */
export function shanghaiDateOf(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Days from one Shanghai date to another (0 for the same day; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The period a Shanghai date falls in: ISO week `2026-W48` (weeks start on Monday) or month `2026-11`. */
export function periodOfDate(period: TallyPeriod, date: string): string {
  if (period === 'month') return date.slice(0, 7);
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  // An ISO week belongs to the year of its Thursday.
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function periodOf(period: TallyPeriod, instant: Date): string {
  return periodOfDate(period, shanghaiDateOf(instant));
}

/** Every period that the inclusive range of dates touches, in order. */
export function periodsBetween(period: TallyPeriod, from: string, to: string): string[] {
  const keys: string[] = [];
  const start = Date.parse(`${from}T00:00:00Z`);
  for (let day = 0; day <= daysBetween(from, to); day++) {
    const key = periodOfDate(period, new Date(start + day * DAY_MS).toISOString().slice(0, 10));
    if (keys.at(-1) !== key) keys.push(key);
  }
  return keys;
}

/** `2026-W48` → `2026年第48周`, `2026-11` → `2026年11月`. */
export function periodLabel(key: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (week) return `${week[1]}年第${Number(week[2])}周`;
  const [year, month] = key.split('-');
  return `${year}年${Number(month)}月`;
}
