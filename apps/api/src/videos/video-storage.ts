import { Inject, Injectable } from '@nestjs/common';
import { createWriteStream, type ReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../common/ids.js';
import { PrivateFileStore } from '../common/private-files.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { VIDEO_HEAD_BYTES } from './video-file.js';

/** A stored upload not yet accepted: checked, then kept (`keep`) or thrown away (`discard`). */
export interface PendingFile {
  path: string;
  sizeBytes: number;
  head: Buffer;
}

/** Uploaded videos on disk, under VIDEO_DIR. Keys are ids the server made, never names a client chose. */
@Injectable()
export class VideoStorage {
  private readonly files: PrivateFileStore;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.files = new PrivateFileStore(config.videos.dir, /^[0-9A-Z]{26}\.(mp4|webm)$/, 0o777); // umask decides: videos are no personal data
  }

  /** Streams an upload to a temporary file, so a large video never sits in memory. */
  async receive(source: Readable): Promise<PendingFile> {
    await this.files.ensureDir();
    const path = join(this.files.dir, `.incoming-${newId()}`);
    try {
      await pipeline(source, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    const { size } = await stat(path);
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(Math.min(VIDEO_HEAD_BYTES, size));
      await handle.read(head, 0, head.length, 0);
      return { path, sizeBytes: size, head };
    } finally {
      await handle.close();
    }
  }

  /** Gives an accepted upload its permanent key. */
  async keep(file: PendingFile, extension: string): Promise<string> {
    const key = `${newId()}.${extension}`;
    await this.files.adopt(file.path, key);
    return key;
  }

  async discard(file: PendingFile): Promise<void> {
    await rm(file.path, { force: true });
  }

  remove(key: string): Promise<void> {
    return this.files.remove(key);
  }

  size(key: string): Promise<number | null> {
    return this.files.size(key);
  }

  read(key: string, range?: { start: number; end: number }): ReadStream {
    return this.files.read(key, range);
  }
}
