import type { DataSource } from 'typeorm';

/*
 * The few queries that run on every request are written as plain SQL and mapped by hand: TypeORM's query builder
 * and hydration cost 10–20 times the driver's own work for them (measured in docs/performance.md). The SQL is
 * portable (no identifier quoting, `?` placeholders on both drivers); everything else stays on TypeORM.
 */

export type Row = Record<string, unknown>;

/** A datetime column as the driver returns it: a Date from mysql2, TypeORM's UTC text from SQLite. */
export function utcDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
  throw new TypeError(`Not a datetime value: ${typeof value}`);
}

export function nullableUtcDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : utcDate(value);
}

export async function selectRows(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<Row[]> {
  return (await dataSource.query(sql, parameters)) as Row[];
}

export async function selectOne<T>(dataSource: DataSource, sql: string, parameters: unknown[], map: (row: Row) => T): Promise<T | null> {
  const [row] = await selectRows(dataSource, sql, parameters);
  return row ? map(row) : null;
}
