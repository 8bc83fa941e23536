import { Inject, Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../common/ids.js';
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
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Streams an upload to a temporary file, so a large video never sits in memory. */
  async receive(source: Readable): Promise<PendingFile> {
    await mkdir(this.config.videos.dir, { recursive: true });
    const path = join(this.config.videos.dir, `.incoming-${newId()}`);
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
    await rename(file.path, join(this.config.videos.dir, key));
    return key;
  }

  async discard(file: PendingFile): Promise<void> {
    await rm(file.path, { force: true });
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

  read(key: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(key), range);
  }

  private pathOf(key: string): string {
    // Keys come from our own database, but a path must never climb out of the folder whatever it holds.
    if (!/^[0-9A-Z]{26}\.(mp4|webm)$/.test(key)) throw new Error('invalid video storage key');
    return join(this.config.videos.dir, key);
  }
}
