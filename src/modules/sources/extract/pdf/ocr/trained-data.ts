import { readlink, rename, symlink, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { privateCacheFolder } from '../private-cache-folder.js';

const require = createRequire(import.meta.url);

/** Japanese first, then English: a Japanese page is read with both, as Japanese pages quote English words. */
export const OCR_LANGUAGES = ['jpn', 'eng'] as const;

/**
 * Which of the trained data that `@tesseract.js-data/<lang>` ships: `4.0.0` (LSTM + legacy model,
 * 16 MB jpn / 11 MB eng gzipped; run with the LSTM engine) or `4.0.0_best_int` (LSTM only, 2.0 /
 * 2.9 MB). Measured with `npm run bench:ocr` (extract README): 4.0.0 misreads fewer characters
 * (Japanese CER 8.5 % against 11.6 %, 1.5 % against 3.8 % on clean 300 dpi scans; English 2.7 %
 * against 5.4 %) for ~35 % more CPU on a Japanese page (2.9 s against 2.1 s), 0.7 s more to start
 * and ~170 MB more resident memory: search and quotes gain more from the accuracy.
 */
export const TRAINED_DATA_VARIANT = '4.0.0';

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
