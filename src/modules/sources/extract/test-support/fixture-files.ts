import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with a package.json. */
function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('package.json not found above the test files');
    folder = parent;
  }
  return folder;
}

/**
 * Where the shared document fixtures are: $SHIORI_SHARED/fixtures/documents, or
 * ../shared/fixtures/documents beside the repository. `required` is true when the variable
 * is set: then a missing file is a failure, not a reason to skip.
 */
export function sharedDocumentsFolder(): { folder: string; required: boolean } {
  const configured = process.env.SHIORI_SHARED;
  const shared = configured ? resolve(configured) : resolve(repositoryRoot(), '..', 'shared');
  return { folder: join(shared, 'fixtures', 'documents'), required: Boolean(configured) };
}

/** A temporary folder for generated files, removed when the returned `cleanup` runs. */
export async function makeScratchFolder(): Promise<{ path: (name: string) => string; write: (name: string, data: Buffer | string) => Promise<string>; cleanup: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'shiori-extract-test-'));
  return {
    path: (name) => join(folder, name),
    write: async (name, data) => {
      const file = join(folder, name);
      await writeFile(file, data);
      return file;
    },
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
}

/** The manifest's matching rule: NFKC, then every whitespace character removed. */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}
