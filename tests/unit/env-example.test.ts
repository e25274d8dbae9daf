import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CONTRACT_VARIABLES = [
  'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL', 'ALERT_CHANNEL_ID', 'PV_CHANNEL_ID',
  'PV_DEADLINE_BUSINESS_DAYS', 'BUSINESS_TIME_ZONE', 'PV_HOLIDAYS', 'MEDICAL_CHANNEL_ID', 'INTAKE_CHANNEL_ID', 'WEBHOOK_SECRET', 'DATABASE_URL', 'DATABASE_POOL_MAX',
  'PORT', 'REMINDER_CRON', 'FOLLOW_UP_NEUTRAL_DAYS', 'FOLLOW_UP_POSITIVE_DAYS', 'FOLLOW_UP_NEGATIVE_DAYS',
  'RESPONSE_SLA_HOURS', 'WORK_HOURS', 'WORK_DAYS', 'MANAGER_USER_IDS', 'LOG_LEVEL', 'EMAIL_TEMPLATES_FILE',
  'WEBHOOK_TOKEN', 'WEBHOOK_MAPPING', 'X_BEARER_TOKEN', 'X_RULES_FILE', 'X_API_URL', 'METRICS_PORT', 'METRICS_TOKEN',
  'BURST_HOLD_SECONDS', 'CLASSIFIER_THREADS',
];

test('.env.example lists every variable of the contract, each with a comment, and README names each', () => {
  const lines = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const v of CONTRACT_VARIABLES) {
    const i = lines.findIndex((l) => l.startsWith(`${v}=`));
    expect({ v, found: i >= 0 }).toEqual({ v, found: true });
    expect(lines[i - 1]!.startsWith('#')).toBe(true);
    expect(readme).toContain(`\`${v}\``);
  }
});
