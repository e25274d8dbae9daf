import { z } from 'zod';
import cron from 'node-cron';
import { isKnownTimeZone } from './domain/business-days';
import { parseWorkDays, type WorkHours } from './domain/working-hours';
import { standardSecretProblem } from './ingest/signature';

/**
 * The environment contract (CONTRACT.md, "Running it"). Parsed once at start-up; every other
 * module receives a typed `Config` and never reads `process.env` itself.
 */

const slackId = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Z0-9]{2,}$`), `expected ${what} (${prefix}…)`);

const channelId = slackId('[CGD]', 'a Slack channel id such as C0123ABCD');

const positiveNumber = (unit: string) =>
  z.coerce
    .number({ error: `expected a number of ${unit}` })
    .refine((n) => Number.isFinite(n) && n > 0, `expected a positive number of ${unit} (fractions allowed)`);

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
/** A YYYY-MM-DD date that exists (2026-02-30 does not). */
const isRealDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return isoDate.test(d) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};

const workHours = z
  .string()
  .trim()
  .refine(
    (s) => s === 'always' || parseWorkHours(s) !== null,
    'expected HH:MM-HH:MM (e.g. 08:00-18:00) or "always"',
  );

export function parseWorkHours(s: string): { startMinute: number; endMinute: number } | null {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) return null;
  const startMinute = h1 * 60 + m1;
  const endMinute = h2 * 60 + m2;
  return startMinute < endMinute ? { startMinute, endMinute } : null;
}

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z.string({ error: 'required: the bot token (xoxb-…)' }).startsWith('xoxb-', 'expected a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: z.string().min(1, 'must not be empty').optional(),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'expected an app-level token starting with xapp-').optional(),
    SLACK_API_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://slack.com/api/'),
    ALERT_CHANNEL_ID: channelId.optional(),
    PV_CHANNEL_ID: channelId.optional(),
    // Durations accept fractions (CONTRACT.md), business days too.
    PV_DEADLINE_BUSINESS_DAYS: positiveNumber('business days').default(1),
    BUSINESS_TIME_ZONE: z
      .string()
      .trim()
      .refine(isKnownTimeZone, 'expected an IANA time zone such as America/New_York or Europe/Berlin')
      .default('America/New_York'),
    PV_HOLIDAYS: z
      .string()
      .optional()
      .refine(
        (s) => s === undefined || s.split(',').every((d) => isRealDate(d.trim())),
        'expected comma-separated dates YYYY-MM-DD',
      )
      .transform((s) => (s ? s.split(',').map((d) => d.trim()).filter(Boolean) : [])),
    MEDICAL_CHANNEL_ID: channelId.optional(),
    INTAKE_CHANNEL_ID: channelId.optional(),
    WEBHOOK_SECRET: z
      .string()
      .min(16, 'expected at least 16 characters (use a random secret)')
      .superRefine((s, c) => {
        const problem = standardSecretProblem(s);
        if (problem) c.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    WEBHOOK_TOKEN: z
      .string()
      .min(24, 'expected at least 24 characters (use a random token, e.g. openssl rand -hex 32)')
      .regex(/^[\x21-\x7e]+$/, 'expected printable characters without spaces (it is sent in an Authorization header)')
      .optional(),
    WEBHOOK_MAPPING: z.string().min(1).optional(),
    METRICS_PORT: z.coerce
      .number({ error: 'expected a TCP port number 0-65535' })
      .int('expected a TCP port number 0-65535')
      .min(0, 'expected a TCP port number 0-65535')
      .max(65535, 'expected a TCP port number 0-65535')
      .optional(),
    METRICS_TOKEN: z
      .string()
      .min(16, 'expected at least 16 characters (use a random token)')
      .regex(/^[\x21-\x7e]+$/, 'expected printable characters without spaces (it is sent in an Authorization header)')
      .optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'expected file:<path> (SQLite) or postgres://… (PostgreSQL)')
      .default('file:./data/hcp-pulse.db'),
    // Per instance: N instances open up to N × this many connections (PostgreSQL only).
    DATABASE_POOL_MAX: z.coerce
      .number({ error: 'expected a whole number of connections from 1 to 100' })
      .int('expected a whole number of connections from 1 to 100')
      .min(1, 'expected a whole number of connections from 1 to 100')
      .max(100, 'expected a whole number of connections from 1 to 100')
      .default(10),
    // Unset: one thread per core the main thread leaves (src/services/classifier-pool.ts).
    CLASSIFIER_THREADS: z.coerce
      .number({ error: 'expected a whole number of threads from 0 to 16' })
      .int('expected a whole number of threads from 0 to 16')
      .min(0, 'expected a whole number of threads from 0 to 16')
      .max(16, 'expected a whole number of threads from 0 to 16')
      .optional(),
    PORT: z.coerce
      .number({ error: 'expected a TCP port number 0-65535' })
      .int('expected a TCP port number 0-65535')
      .min(0, 'expected a TCP port number 0-65535')
      .max(65535, 'expected a TCP port number 0-65535')
      .default(3000),
    REMINDER_CRON: z
      .string()
      .default('* * * * *')
      .refine((s) => cron.validate(s), 'expected a node-cron expression such as "* * * * *" (a seconds field is allowed)'),
    FOLLOW_UP_NEUTRAL_DAYS: positiveNumber('days').default(90),
    FOLLOW_UP_POSITIVE_DAYS: positiveNumber('days').default(14),
    FOLLOW_UP_NEGATIVE_DAYS: positiveNumber('days').default(7),
    RESPONSE_SLA_HOURS: positiveNumber('hours').default(24),
    // The longest a card may wait in its channel's queue before the burst is folded (README, "Bursts").
    BURST_HOLD_SECONDS: positiveNumber('seconds').default(10),
    WORK_HOURS: workHours.default('08:00-18:00'),
    WORK_DAYS: z
      .string()
      .trim()
      .default('Mon-Fri')
      .refine((s) => parseWorkDays(s) !== null, 'expected day names or ranges, e.g. Mon-Fri, Sun-Thu or Mon,Wed,Fri'),
    MANAGER_USER_IDS: z
      .string()
      .optional()
      .refine((s) => s === undefined || s.split(',').every((u) => /^[UW][A-Z0-9]{2,}$/.test(u.trim()) || u.trim() === ''), 'expected comma-separated Slack user ids (U…)')
      .transform((s) => (s ? s.split(',').map((u) => u.trim()).filter(Boolean) : [])),
    EMAIL_TEMPLATES_FILE: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    }).default('info'),
  });

/** Rules across variables, checked on the raw values so they are reported with all the rest. */
function crossProblems(env: Record<string, string | undefined>): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (!env.ALERT_CHANNEL_ID) problems.push({ variable: 'ALERT_CHANNEL_ID', message: 'required: the channel id for alert cards (C…)' });
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push({ variable: 'SLACK_SIGNING_SECRET', message: 'required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)' });
  }
  if (env.METRICS_PORT && env.METRICS_PORT !== '0' && env.METRICS_PORT === (env.PORT ?? '3000')) {
    problems.push({ variable: 'METRICS_PORT', message: 'must differ from PORT (leave it unset to serve /metrics on PORT)' });
  }
  return problems;
}

type Env = z.output<typeof envSchema>;

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
  };
  channels: {
    alert: string;
    pv: string | undefined;
    medical: string | undefined;
    intake: string | undefined;
  };
  /** The PV business-day clock: deadline length, its zone and the days off. */
  pv: { deadlineBusinessDays: number; holidays: string[]; timeZone: string };
  webhookSecret: string | undefined;
  /** `Authorization: Bearer` token for tools that can only set a header. */
  webhookToken: string | undefined;
  /** JSON file of named field mappings for tools' own bodies (loaded and checked at start). */
  webhookMappingFile: string | undefined;
  /** `/metrics` on its own port (else on `port`), and the bearer token it requires (else open). */
  metrics: { port: number | undefined; token: string | undefined };
  databaseUrl: string;
  /** PostgreSQL connections this instance may open at most. */
  databasePoolMax: number;
  /** Worker threads that classify posts (0: the main thread does); undefined: one per spare core. */
  classifierThreads: number | undefined;
  port: number;
  reminderCron: string;
  followUpDays: { negative: number; neutral: number; positive: number };
  responseSlaHours: number;
  /** A channel whose queue would hold a card longer than this folds its low-priority cards into a roll-up. */
  burstHoldSeconds: number;
  workHours: WorkHours;
  /** Who sees the team view in App Home. */
  managerUserIds: string[];
  logLevel: Env['LOG_LEVEL'];
  /** Approved email templates; unset: the shipped src/templates/email-templates.json. */
  emailTemplatesFile: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'HCP Pulse cannot start: fix these environment variables (see .env.example):\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (env: NodeJS.ProcessEnv): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));

/** Variables whose values must never be echoed in an error (tokens, secrets, passwords in URLs). */
const SECRET = /TOKEN|SECRET|PASSWORD|DATABASE_URL/;

/**
 * What was wrong with one variable: missing, or the value given (quoted, unless it is a
 * secret) and what is expected instead. zod does not keep the input on its issues, so the
 * raw environment says whether the variable was set at all.
 */
function describeProblem(variable: string, raw: Record<string, string | undefined>, expected: string): string {
  const value = raw[variable];
  if (value === undefined) return expected.startsWith('required') ? expected : `required: ${expected}`;
  const shown = SECRET.test(variable) ? 'the value given' : `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  return `${shown} is not valid: ${expected}`;
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const raw = emptyToUndefined(env);
  const parsed = envSchema.safeParse(raw);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => ({
          variable: String(i.path[0] ?? '(environment)'),
          message: describeProblem(String(i.path[0] ?? ''), raw, i.message),
        }))),
    ...crossProblems(raw),
  ];
  if (!parsed.success || problems.length > 0) {
    // One line per variable: zod may report several issues for the same one.
    const seen = new Set<string>();
    throw new ConfigError(problems.filter((p) => !seen.has(p.variable) && seen.add(p.variable)));
  }
  const e = parsed.data;
  if (!e.ALERT_CHANNEL_ID) throw new ConfigError([{ variable: 'ALERT_CHANNEL_ID', message: 'required' }]);
  const apiUrl = e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`;
  return {
    slack: { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl },
    channels: { alert: e.ALERT_CHANNEL_ID, pv: e.PV_CHANNEL_ID, medical: e.MEDICAL_CHANNEL_ID, intake: e.INTAKE_CHANNEL_ID },
    pv: { deadlineBusinessDays: e.PV_DEADLINE_BUSINESS_DAYS, holidays: e.PV_HOLIDAYS, timeZone: e.BUSINESS_TIME_ZONE },
    webhookSecret: e.WEBHOOK_SECRET,
    webhookToken: e.WEBHOOK_TOKEN,
    webhookMappingFile: e.WEBHOOK_MAPPING,
    metrics: { port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    classifierThreads: e.CLASSIFIER_THREADS,
    port: e.PORT,
    reminderCron: e.REMINDER_CRON,
    followUpDays: { negative: e.FOLLOW_UP_NEGATIVE_DAYS, neutral: e.FOLLOW_UP_NEUTRAL_DAYS, positive: e.FOLLOW_UP_POSITIVE_DAYS },
    responseSlaHours: e.RESPONSE_SLA_HOURS,
    burstHoldSeconds: e.BURST_HOLD_SECONDS,
    workHours: e.WORK_HOURS === 'always' ? 'always' : { ...parseWorkHours(e.WORK_HOURS)!, days: parseWorkDays(e.WORK_DAYS)! },
    managerUserIds: e.MANAGER_USER_IDS,
    logLevel: e.LOG_LEVEL,
    emailTemplatesFile: e.EMAIL_TEMPLATES_FILE,
  };
}
