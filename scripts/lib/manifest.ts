import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA_DIR = join(__dirname, '..', '..', 'tests', 'fixtures', 'slack-manifest-schema');
const REF_BASE = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';

/** Problems with a manifest: schema errors, and surfaces the bot serves but the manifest omits. */
export function checkManifest(manifest: any): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const v of ['1.0.0', '2.0.0']) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, 'schemas', `manifest.schema.${v}.json`), 'utf8'));
    delete schema.$id;
    ajv.addSchema(schema, `${REF_BASE}manifest.schema.${v}.json`);
  }
  const top = JSON.parse(readFileSync(join(SCHEMA_DIR, 'manifest.schema.json'), 'utf8'));
  const validate = ajv.compile(top);
  const problems: string[] = [];
  if (!validate(manifest)) {
    for (const e of validate.errors ?? []) problems.push(`${e.instancePath || '(root)'} ${e.message ?? ''}`.trim());
  }
  const scopes: string[] = manifest?.oauth_config?.scopes?.bot ?? [];
  for (const s of ['chat:write', 'commands', 'channels:history', 'users:read']) {
    if (!scopes.includes(s)) problems.push(`missing bot scope ${s}`);
  }
  if (!manifest?.features?.slash_commands?.some((c: any) => c.command === '/hcp')) problems.push('missing the /hcp slash command');
  if (!manifest?.features?.shortcuts?.some((s: any) => s.callback_id === 'log_hcp_mention' && s.type === 'message')) {
    problems.push('missing the log_hcp_mention message shortcut');
  }
  if (!manifest?.features?.app_home?.home_tab_enabled) problems.push('the App Home tab is not enabled');
  const events: string[] = manifest?.settings?.event_subscriptions?.bot_events ?? [];
  for (const e of ['app_home_opened', 'message.channels']) if (!events.includes(e)) problems.push(`missing bot event ${e}`);
  if (!manifest?.settings?.interactivity?.is_enabled) problems.push('interactivity is not enabled');
  return problems;
}

/** Fields that differ between the HTTP and the Socket Mode manifest; everything else must match. */
function withoutTransport(m: any): any {
  const c = JSON.parse(JSON.stringify(m ?? {}));
  for (const cmd of c.features?.slash_commands ?? []) delete cmd.url;
  delete c.settings?.event_subscriptions?.request_url;
  delete c.settings?.interactivity?.request_url;
  if (c.settings) delete c.settings.socket_mode_enabled;
  return c;
}

/** The two manifests describe the same app: HTTP with request URLs, Socket Mode without. */
export function checkManifestPair(http: any, socket: any): string[] {
  const problems: string[] = [];
  if (http?.settings?.socket_mode_enabled) problems.push('manifest.json: socket_mode_enabled must be false (manifest.socket.json is the Socket Mode one)');
  const urls = [
    ...(http?.features?.slash_commands ?? []).map((c: any) => c.url),
    http?.settings?.event_subscriptions?.request_url,
    http?.settings?.interactivity?.request_url,
  ];
  for (const u of urls) if (typeof u !== 'string' || !/^https:\/\/[^/]+\/slack\/events$/.test(u)) problems.push(`manifest.json: every request URL must be https://<host>/slack/events (found ${String(u)})`);
  if (!socket?.settings?.socket_mode_enabled) problems.push('manifest.socket.json: socket_mode_enabled must be true');
  const socketUrls = [
    ...(socket?.features?.slash_commands ?? []).map((c: any) => c.url),
    socket?.settings?.event_subscriptions?.request_url,
    socket?.settings?.interactivity?.request_url,
  ].filter((u) => u !== undefined);
  if (socketUrls.length) problems.push('manifest.socket.json: Socket Mode needs no request URLs; remove them');
  if (JSON.stringify(withoutTransport(http)) !== JSON.stringify(withoutTransport(socket))) {
    problems.push('manifest.json and manifest.socket.json differ beyond request URLs and socket_mode_enabled: change both together');
  }
  return problems;
}
