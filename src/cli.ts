#!/usr/bin/env node
import { ConfigError, loadConfig, type Config } from './config.js';
import pino from 'pino';
import { openDatabase } from './db/client.js';
import { prepareVectorStorage } from './modules/embeddings/index.js';
import { startServer } from './server.js';
import { createServices } from './services.js';

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
    // The same services as the server's (the same ENCRYPTION_KEY opens the provider keys; document
    // embeddings are recorded as usage the same way); only the ingestion worker runs here.
    const services = createServices(config, database, log);
    const worker = services.ingestion;
    worker.start();
    log.info({ concurrency: config.ingestion.concurrency, database: database.driver }, 'ingestion worker started');
    const shutdown = async (signal: string) => {
      log.info(`${signal} received: finishing documents in hand, then stopping`);
      await services.stop();
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
