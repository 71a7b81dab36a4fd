import type { FastifyInstance } from 'fastify';
import { createApp } from './app.js';
import type { Config } from './config.js';

const SHUTDOWN_GRACE_MS = 15_000;

/** Starts listening and closes gracefully on SIGTERM/SIGINT: in-flight requests finish, then the database closes. */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const started = performance.now();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: app.database.driver, vectorSearch: app.database.vectorSearch, startupMs: Math.round(performance.now() - started) },
    `Shiori is ready at ${config.publicUrl} (dashboard: ${config.publicUrl}/, API docs: ${config.publicUrl}/docs)`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal} received: finishing in-flight requests, then stopping`);
    const force = setTimeout(() => {
      app.log.error('Shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'Error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return app;
}
