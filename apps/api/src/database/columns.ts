import { Column, ColumnOptions, PrimaryColumn } from 'typeorm';

// Shared column shapes, so every table spells ids and times the same way on SQLite and MySQL.
export const ID_LENGTH = 26;

export function IdPrimary(): PropertyDecorator {
  return PrimaryColumn({ type: 'varchar', length: ID_LENGTH });
}

export function IdColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}): PropertyDecorator {
  return Column({ name, type: 'varchar', length: ID_LENGTH, nullable: options.nullable ?? false });
}

/** UTC instant with millisecond precision; set by the application, never by a database default. */
export function TimeColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}): PropertyDecorator {
  return Column({ name, type: 'datetime', precision: 3, nullable: options.nullable ?? false });
}

export function TextColumn(name: string, length: number, options: Pick<ColumnOptions, 'nullable'> = {}): PropertyDecorator {
  return Column({ name, type: 'varchar', length, nullable: options.nullable ?? false });
}

/** A whole number (counts, milliseconds, bytes): `int` on both drivers, so it reads back as a number on MySQL too. */
export function IntColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}): PropertyDecorator {
  return Column({ name, type: 'int', nullable: options.nullable ?? false });
}

/** Free text of any length up to 64 KB (ciphertexts of descriptions and replies): `text` on both drivers. */
export function LongTextColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}): PropertyDecorator {
  return Column({ name, type: 'text', nullable: options.nullable ?? false });
}
