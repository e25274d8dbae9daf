import { existsSync } from 'node:fs';
import { type Config, ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startPulse } from './app';

/** Entry point: .env (when present), config, start; stops cleanly on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const pulse = await startPulse(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    pulse.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(`HCP Pulse failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
