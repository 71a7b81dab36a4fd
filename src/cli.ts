#!/usr/bin/env node
import { ConfigError, loadConfig, type Config } from './config.js';
import pino from 'pino';
import { resolveAppSecrets } from './app-secrets.js';
import { openDatabase } from './db/client.js';
import { createSecretBox } from './lib/secret-box.js';
import { openFileStorage } from './modules/contents/storage/open-file-storage.js';
import { createEmbeddingsService, prepareVectorStorage } from './modules/embeddings/index.js';
import { createProviderEndpoints } from './modules/llm/index.js';
import { createIngestionWorker } from './modules/ingestion/ingestion.worker.js';
import { createPriceTable, createUsageService } from './modules/usage/index.js';
import { startServer } from './server.js';

const usage = `Usage: shiori <command>

Commands:
  serve     Start the API server (default)
  migrate   Apply database migrations and exit
  worker    Run only the ingestion worker (any number may run beside the servers)

Configuration comes from environment variables; see .env.example.`;

const commands: Record<string, (config: Config) => Promise<void>> = {
  async serve(config) {
    await startServer(config);
  },
  async migrate(config) {
    const database = await openDatabase(config.database);
    await database.migrate();
    await prepareVectorStorage(database, { warn: (message) => console.warn(message) }, config.vectorIndex);
    console.log(`Migrations applied (${database.driver}${database.vectorSearch ? ', pgvector available' : ', no pgvector: vector search off'}).`);
    await database.close();
  },
  async worker(config) {
    const log = pino({ level: config.logLevel });
    const database = await openDatabase(config.database);
    await database.migrate();
    await prepareVectorStorage(database, log, config.vectorIndex);
    // Provider keys are sealed: the worker needs the same ENCRYPTION_KEY as the servers.
    const box = createSecretBox(resolveAppSecrets(config, log).encryptionKey);
    // Document embeddings are billed calls: the worker records them like the server does.
    const accounting = createUsageService({ db: database.db, log, prices: createPriceTable(config.modelPrices) });
    const embedder = createEmbeddingsService({
      db: database.db,
      box,
      vectorsAvailable: () => database.vectorSearch,
      log,
      endpoints: createProviderEndpoints(config.providerUrls, config.outbound),
      options: config.embeddings,
      usage: accounting,
    });
    const worker = createIngestionWorker({ db: database.db, storage: openFileStorage(config), log, embedder }, config.ingestion);
    worker.start();
    log.info({ concurrency: config.ingestion.concurrency, database: database.driver }, 'ingestion worker started');
    const shutdown = async (signal: string) => {
      log.info(`${signal} received: finishing documents in hand, then stopping`);
      await worker.stop();
      await database.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  },
};

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'serve';
  const command = commands[name];
  if (!command) {
    console.error(name === 'help' || name === '--help' ? usage : `Unknown command "${name}".\n\n${usage}`);
    process.exit(name === 'help' || name === '--help' ? 0 : 2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  await command(config);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
