import { lstat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder under the system temp folder that only this user can write (checked, since what it
 * holds is loaded as code or data): shared by the worker processes of one user, so a file put
 * there once is reused instead of written again by every process.
 */
export async function privateCacheFolder(name: string): Promise<string> {
  const uid = process.getuid?.();
  const folder = join(tmpdir(), `${name}-${uid ?? 'user'}`);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const info = await lstat(folder);
  const ownedByUs = uid === undefined || info.uid === uid;
  if (!info.isDirectory() || !ownedByUs || (info.mode & 0o077) !== 0) {
    throw new Error(`refusing to load from ${folder}: it is not a private folder of this user`);
  }
  return folder;
}
