import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

const KEY = /^[0-9a-f]{32}$/;

/**
 * Tip images on disk, under TIP_FILES_DIR: readable by the API's user only (folder 0700, files 0600), named by a
 * random key that says nothing about the tip, the reporter or the time. Files are served only through signed links.
 */
@Injectable()
export class TipFileStorage {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'tips'>) {
    this.dir = config.tips.filesDir;
  }

  /** Stores the bytes under a new key; a half-written file never carries a key (written aside, then renamed). */
  async write(bytes: Buffer): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(16).toString('hex');
    const incoming = join(this.dir, `.incoming-${key}`);
    try {
      await writeFile(incoming, bytes, { flag: 'wx', mode: 0o600 });
      await rename(incoming, this.pathOf(key));
    } catch (error) {
      await rm(incoming, { force: true });
      throw error;
    }
    return key;
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  read(key: string): ReadStream {
    return createReadStream(this.pathOf(key));
  }

  private pathOf(key: string): string {
    // Keys come from our own database, but a path must never climb out of the folder whatever it holds.
    if (!KEY.test(key)) throw new Error('invalid tip file key');
    return join(this.dir, key);
  }
}
