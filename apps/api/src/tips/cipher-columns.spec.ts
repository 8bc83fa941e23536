import { describe, expect, it } from '@jest/globals';
import { TIP_LIMITS, TIP_TEXT_LIMITS } from '@qmfz/contracts';
import { Table, type QueryRunner } from 'typeorm';
import { loadConfig } from '../config/config.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { Tips1765065600000 } from '../database/migrations/1765065600000-tips.js';

/** The longest key id DATA_KEYS accepts (config.ts): every ciphertext carries it. */
const crypto = new CryptoService(loadConfig({ DATA_KEYS: `${'k'.repeat(16)}:${Buffer.alloc(32, 1).toString('base64')}` }));

/**
 * The longest plaintext each varchar ciphertext column takes, as the contracts and request checks allow it. Text
 * limited to n UTF-16 code units is longest in UTF-8 as n characters of 3 bytes (CJK); a 4-byte character costs
 * two units, so it is listed too. Description, replies and additions go to `text` columns.
 */
const UNITS = (n: number) => ['诈'.repeat(n), '𠮷'.repeat(Math.floor(n / 2))];
const LONGEST: Record<string, string[]> = {
  'tips.reporter_name_cipher': UNITS(TIP_TEXT_LIMITS.reporterNameMax),
  'tips.reporter_phone_cipher': ['13812345678'],
  'tip_identifiers.value_cipher': UNITS(TIP_LIMITS.identifierRawMax),
  'tip_rewards.claim_name_cipher': UNITS(TIP_TEXT_LIMITS.reporterNameMax),
  'tip_rewards.claim_phone_cipher': ['13812345678'],
};

async function migratedTables(): Promise<Table[]> {
  const tables: Table[] = [];
  const runner = { createTable: async (table: Table) => void tables.push(table) } as unknown as QueryRunner;
  await new Tips1765065600000().up(runner);
  return tables;
}

describe('ciphertext columns of the tips migration', () => {
  it('should be listed here, every varchar one, so a new one gets its longest input checked', async () => {
    const columns = (await migratedTables()).flatMap((table) => table.columns.filter((c) => c.name.endsWith('_cipher') && c.type === 'varchar').map((c) => `${table.name}.${c.name}`));
    expect(columns.sort()).toEqual(Object.keys(LONGEST).sort());
  });

  it.each(Object.entries(LONGEST))('should hold the ciphertext of the longest %s', async (column, inputs) => {
    const [tableName, columnName] = column.split('.');
    const table = (await migratedTables()).find((t) => t.name === tableName)!;
    const width = Number(table.columns.find((c) => c.name === columnName)!.length);
    for (const input of inputs) expect({ input: input.slice(0, 4), length: crypto.encrypt(input).length, fits: crypto.encrypt(input).length <= width }).toMatchObject({ fits: true });
  });
});
