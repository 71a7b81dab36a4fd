import { readlink, rename, symlink, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { privateCacheFolder } from '../private-cache-folder.js';

const require = createRequire(import.meta.url);

/** Japanese first, then English: a Japanese page is read with both, as Japanese pages quote English words. */
export const OCR_LANGUAGES = ['jpn', 'eng'] as const;

/**
 * Which of the trained data that `@tesseract.js-data/<lang>` ships: `4.0.0_best_int` (LSTM only,
 * 2.0 MB jpn / 2.9 MB eng gzipped) or `4.0.0` (LSTM + legacy engine, 16 / 11 MB). Measured with
 * `npm run bench:ocr` (README): best_int is as fast and reads Japanese better (4.0.0 confuses 二 and ニ).
 */
export const TRAINED_DATA_VARIANT = '4.0.0_best_int';

/**
 * tesseract.js reads every language from one `langPath` folder, and each language ships in a
 * package of its own, so the folder given to it holds links to the packages' files: the data is
 * read from the installed packages, never downloaded (without a langPath tesseract.js fetches
 * from a CDN), and nothing is copied or written into the cache tesseract.js would keep.
 */
export async function trainedDataFolder(variant: string = TRAINED_DATA_VARIANT): Promise<string> {
  const folder = join(await privateCacheFolder('shiori-ocr-data'), variant);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  for (const language of OCR_LANGUAGES) {
    const target = packagedTrainedData(language, variant);
    const link = join(folder, `${language}.traineddata.gz`);
    if ((await readlink(link).catch(() => undefined)) === target) continue;
    const partial = `${link}.${process.pid}.tmp`;
    await symlink(target, partial);
    await rename(partial, link); // atomic: a concurrent worker sees the old link or the new one
  }
  return folder;
}

/** The gzipped .traineddata inside the installed `@tesseract.js-data/<language>` package. */
export function packagedTrainedData(language: string, variant: string = TRAINED_DATA_VARIANT): string {
  return join(dirname(require.resolve(`@tesseract.js-data/${language}/package.json`)), variant, `${language}.traineddata.gz`);
}
