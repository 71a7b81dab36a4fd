import type { Config } from '../../../../config.js';
import type { FileStorage } from './file-storage.js';
import { createLocalFileStorage } from './local-file-storage.js';
import { createS3FileStorage } from './s3-file-storage.js';

/** The store FILE_STORAGE names: the bucket of `config.s3`, else the folder DATA_DIR/files. */
export function openFileStorage(config: Pick<Config, 's3' | 'filesDir'>): FileStorage {
  return config.s3 ? createS3FileStorage(config.s3) : createLocalFileStorage(config.filesDir);
}
