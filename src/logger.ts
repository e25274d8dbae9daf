import pino, { type Logger as Pino } from 'pino';
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';

export type Logger = Pino;

/**
 * Paths that may carry credentials. Bolt and the Web API client log request options on
 * errors, and our own records may include config or headers: none of these may leave the
 * process in clear.
 */
const REDACT = [
  'token',
  '*.token',
  '*.*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'webhookSecret',
  '*.webhookSecret',
  'webhookToken',
  '*.webhookToken',
  'bearerToken',
  '*.bearerToken',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-webhook-signature"]',
  'headers["x-slack-signature"]',
  'config.slack',
];

const SECRET_PATTERN = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)\b/g;

/** Tokens can also hide inside free-text messages (an error string from a library). */
export const scrubSecrets = (s: string): string => s.replace(SECRET_PATTERN, '[Redacted]');

/** Error messages and stacks can quote a request, token and all. */
function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'hcp-pulse' },
      redact: { paths: REDACT, censor: '[Redacted]' },
      serializers: { err: (e: Error) => scrubDeep(pino.stdSerializers.err(e)) },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}

const toPino: Record<LogLevel, pino.Level> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/**
 * Bolt logs positional arguments and calls setLevel() on start-up; we keep our own level
 * (LOG_LEVEL) authoritative, so setLevel is deliberately ignored.
 */
export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'bolt' });
  const emit = (level: pino.Level) => (...msg: unknown[]) => {
    // Bolt and the Web API client log at debug on every request and every API call; below
    // LOG_LEVEL, return before formatting (JSON.stringify of each argument cost each click).
    if (!child.isLevelEnabled(level)) return;
    const err = msg.find((m): m is Error => m instanceof Error);
    const text = msg.filter((m) => !(m instanceof Error)).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
    if (err) child[level]({ err }, text);
    else child[level](text);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    setLevel: () => undefined,
    getLevel: () => {
      const l = logger.level;
      return (Object.entries(toPino).find(([, p]) => p === l)?.[0] as LogLevel | undefined) ?? LogLevel.ERROR;
    },
    setName: () => undefined,
  };
}
