import type { FastifyInstance } from 'fastify';
import { createApp } from './app.js';
import type { Config } from './config.js';

const SHUTDOWN_GRACE_MS = 15_000;

/** Starts listening and closes gracefully on SIGTERM/SIGINT: in-flight requests finish, then the database closes. */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const started = performance.now();
  const app = await createApp(config);
  // The address it really listens on; PUBLIC_URL, when set, is where browsers reach it (a proxy, a domain).
  const address = await app.listen({ port: config.port, host: config.host });
  const open = config.publicUrl ?? address;
  app.log.info(
    { address, publicUrl: config.publicUrl ?? null, database: app.database.driver, vectorSearch: app.database.vectorSearch, startupMs: Math.round(performance.now() - started) },
    `Shiori is listening on ${address}${config.publicUrl ? `, public address ${config.publicUrl}` : ''} (dashboard: ${open}/, API docs: ${open}/docs)`,
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
