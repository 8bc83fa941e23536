import { TableColumnOptions, TableIndex } from 'typeorm';

// Column shapes for migrations, written with the QueryRunner table API so one migration serves SQLite and
// MySQL/MariaDB alike. No foreign keys, triggers or cascades: the schema stays portable to TiDB and Vitess.
export const id = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '26', isNullable: nullable });
export const text = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
export const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
export const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
export const primary = (name = 'id'): TableColumnOptions => ({ ...id(name), isPrimary: true });

export function index(name: string, columnNames: string[], isUnique = false): TableIndex {
  return new TableIndex({ name, columnNames, isUnique });
}
/** Long text (ciphertexts of free text): `text` on both drivers, up to 64 KB. */
export const longText = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
