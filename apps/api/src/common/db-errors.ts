/** True when an insert or update hit a unique index, on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const codes = [e?.code, e?.driverError?.code];
  return codes.includes('ER_DUP_ENTRY') || codes.includes('SQLITE_CONSTRAINT_UNIQUE') || codes.includes('SQLITE_CONSTRAINT_PRIMARYKEY') || e?.errno === 1062;
}
