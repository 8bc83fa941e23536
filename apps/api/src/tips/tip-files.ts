import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrivateFileStore } from '../common/private-files.js';

/**
 * Tip images on disk, under TIP_FILES_DIR: readable by the API's user only (folder 0700, files 0600), named by a
 * random key that says nothing about the tip, the reporter or the time. Files are served only through signed links.
 */
@Injectable()
export class TipFileStorage extends PrivateFileStore {
  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'tips'>) {
    super(config.tips.filesDir, /^[0-9a-f]{32}$/);
  }

  /** Stores the bytes under a new random key and returns it. */
  async store(bytes: Buffer): Promise<string> {
    const key = randomBytes(16).toString('hex');
    await this.write(key, bytes);
    return key;
  }
}
