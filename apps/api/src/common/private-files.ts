import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files the API keeps for itself in one folder (tip images, videos), served only through signed links. Keys are
 * made by the server; a key that does not match `keyPattern` is refused before it becomes a path, so no value
 * from the database can ever point outside the folder.
 */
export class PrivateFileStore {
  constructor(
    readonly dir: string,
    private readonly keyPattern: RegExp,
    /** The folder's mode when this store creates it (0700: readable by the API's user only). */
    private readonly dirMode = 0o700,
  ) {}

  /** Creates the folder if need be. */
  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: this.dirMode });
  }

  /** Stores the bytes under the key (file mode 0600); a half-written file never carries a key (written aside, then renamed). */
  async write(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await this.ensureDir();
    const incoming = join(this.dir, `.incoming-${key}`);
    try {
      await writeFile(incoming, bytes, { flag: 'wx', mode: 0o600 });
      await rename(incoming, path);
    } catch (error) {
      await rm(incoming, { force: true });
      throw error;
    }
  }

  /** Gives a file written elsewhere in the folder (e.g. a streamed upload) its key. */
  async adopt(path: string, key: string): Promise<void> {
    await rename(path, this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Size in bytes, or null when the file is gone. */
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

  pathOf(key: string): string {
    if (!this.keyPattern.test(key)) throw new Error('invalid private file key');
    return join(this.dir, key);
  }
}
