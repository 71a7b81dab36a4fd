import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { STORAGE_KEY_PATTERN as KEY_PATTERN, uploadMeter, type FileStorage } from './file-storage.js';

const PARTIAL_SUFFIX = '.partial';

/** Files under <root>/<tenant id>/<uuid>. Written to a temporary name first, so a crash never leaves half a file under a real key. */
export function createLocalFileStorage(root: string): FileStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    if (!KEY_PATTERN.test(key)) throw new Error(`Invalid storage key: ${key}`);
    const path = resolve(base, key);
    if (!path.startsWith(base + sep)) throw new Error(`Storage key escapes the root: ${key}`);
    return path;
  };

  return {
    async write(tenantId, stream: Readable) {
      const key = `${tenantId}/${randomUUID()}`;
      const path = pathOf(key);
      const partial = `${path}${PARTIAL_SUFFIX}`;
      await mkdir(join(base, tenantId), { recursive: true });
      const { meter, measured } = uploadMeter();
      try {
        await pipeline(stream, meter, createWriteStream(partial, { flags: 'wx' }));
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { key, ...measured() };
    },
    async read(key) {
      const path = pathOf(key);
      await stat(path);
      return createReadStream(path);
    },
    async withLocalFile(key, use) {
      const path = pathOf(key);
      await stat(path);
      return use(path);
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async staleKeys(cutoff) {
      const stale = new Map<string, string[]>();
      const tenants = await readdir(base, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
      for (const tenant of tenants) {
        if (!tenant.isDirectory()) continue;
        const keys: string[] = [];
        for (const name of await readdir(join(base, tenant.name))) {
          const partial = name.endsWith(PARTIAL_SUFFIX);
          const key = `${tenant.name}/${partial ? name.slice(0, -PARTIAL_SUFFIX.length) : name}`;
          if (!KEY_PATTERN.test(key)) continue; // not ours: leave it alone
          const modified = await stat(join(base, tenant.name, name)).then((s) => s.mtimeMs, () => Infinity); // gone meanwhile
          if (modified >= cutoff.getTime()) continue;
          if (partial) await rm(`${pathOf(key)}${PARTIAL_SUFFIX}`, { force: true });
          else keys.push(key);
        }
        if (keys.length > 0) stale.set(tenant.name, keys);
      }
      return stale;
    },
  };
}
