import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { XLSX_ZIP_LIMITS, zipWithinLimits } from './zip-guard.js';

interface Entry {
  name: string;
  data: Buffer;
  stored?: boolean;
  /** Size written into the headers; a hostile archive may understate it. */
  declaredSize?: number;
  flags?: number;
}

/** A minimal zip writer: local headers, central directory and end record (CRCs are not checked by the guard). */
function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const body = entry.stored ? entry.data : deflateRawSync(entry.data);
    const name = Buffer.from(entry.name);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(entry.stored ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(entry.stored ? 0 : 8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('zipWithinLimits', () => {
  it('should accept a workbook written by exceljs', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('名册').addRow(['姓名', '手机号']);
    expect(zipWithinLimits(Buffer.from(await workbook.xlsx.writeBuffer()))).toBe(true);
  });

  it('should accept small stored and deflated entries', () => {
    const archive = zip([
      { name: 'a.txt', data: Buffer.from('hello') },
      { name: 'b.txt', data: Buffer.from('world'), stored: true },
    ]);
    expect(zipWithinLimits(archive)).toBe(true);
  });

  it('should refuse an archive that inflates beyond the limit although it is small on disk', () => {
    const bomb = zip([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(XLSX_ZIP_LIMITS.maxUncompressedBytes + 1) }]);
    expect(bomb.length).toBeLessThan(100_000);
    expect(zipWithinLimits(bomb)).toBe(false);
  });

  it('should refuse a bomb whose headers understate its size', () => {
    const liar = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(XLSX_ZIP_LIMITS.maxUncompressedBytes + 1), declaredSize: 10 }]);
    expect(zipWithinLimits(liar)).toBe(false);
  });

  it('should count the limit over all entries together', () => {
    const half = Buffer.alloc(600);
    expect(zipWithinLimits(zip([{ name: 'a', data: half }]), { maxEntries: 10, maxUncompressedBytes: 1000 })).toBe(true);
    expect(zipWithinLimits(zip([{ name: 'a', data: half }, { name: 'b', data: half }]), { maxEntries: 10, maxUncompressedBytes: 1000 })).toBe(false);
  });

  it('should refuse too many entries', () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') }));
    expect(zipWithinLimits(zip(entries), { maxEntries: 10, maxUncompressedBytes: 1000 })).toBe(false);
  });

  it('should refuse encrypted entries', () => {
    expect(zipWithinLimits(zip([{ name: 'a', data: Buffer.from('x'), flags: 0x1 }]))).toBe(false);
  });

  it('should refuse truncated archives and non-archives', () => {
    const archive = zip([{ name: 'a.txt', data: Buffer.from('hello '.repeat(100)) }]);
    expect(zipWithinLimits(archive.subarray(0, archive.length - 30))).toBe(false);
    expect(zipWithinLimits(archive.subarray(0, 20))).toBe(false);
    expect(zipWithinLimits(Buffer.from('PK\x03\x04 nothing else', 'latin1'))).toBe(false);
  });
});
