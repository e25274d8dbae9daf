import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Least privilege, checked: each bot scope the manifest asks for, the feature that needs it
 * (README's scope table says the same), and the Web API methods, events or code that use it.
 * `npm run manifest:check` fails on a scope nothing in the code uses, on a scope this map does
 * not know, and on a method or event the code uses whose scope the manifest lacks.
 */
export interface ScopeUse {
  feature: string;
  /** Web API methods that need this scope, as called in the code (`client.chat.postMessage(`). */
  methods?: string[];
  /** Manifest bot events that need this scope. */
  events?: string[];
  /** Other code that needs it (a pattern in the source). */
  code?: { pattern: RegExp; what: string }[];
}

export const SCOPES: Record<string, ScopeUse> = {
  'chat:write': {
    feature: 'post alert cards, PV cases, reminders and replies; update cards in place; answers only you see',
    methods: ['chat.postMessage', 'chat.update', 'chat.postEphemeral'],
  },
  'chat:write.public': {
    feature: 'post alert cards to a public channel without inviting the bot first (roster channels)',
    methods: ['chat.postMessage'],
  },
  commands: {
    feature: 'the /hcp slash command',
    code: [{ pattern: /app\.command\(/, what: 'app.command(…)' }],
  },
  'channels:history': {
    feature: 'links dropped in a public intake channel (message.channels); finding a card already posted after a crash (conversations.history)',
    methods: ['conversations.history', 'conversations.replies'],
    events: ['message.channels'],
  },
  'groups:history': {
    feature: 'links dropped in a private intake channel (message.groups); crash recovery in private alert channels',
    methods: ['conversations.history', 'conversations.replies'],
    events: ['message.groups'],
  },
  'metadata.message:read': {
    feature: 'reading back the outbox id carried in message metadata, so a send interrupted by a crash is not posted twice',
    code: [{ pattern: /include_all_metadata:\s*true/, what: 'include_all_metadata: true' }],
  },
  'users:read': {
    feature: 'the rep\'s name on a drafted email, and each recipient\'s time zone for reminder working hours (users.info)',
    methods: ['users.info'],
  },
};

/** The scope each Web API method the bot may call needs; `null`: none. */
export const METHOD_SCOPES: Record<string, string[] | null> = {
  'auth.test': null,
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': null,
  'conversations.history': ['channels:history'],
  'conversations.replies': ['channels:history'],
  'conversations.open': ['im:write'],
  'conversations.info': ['channels:read'],
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'views.open': null,
  'views.update': null,
  'views.push': null,
  'views.publish': null,
};

/** The scope each bot event needs; `null`: none. */
export const EVENT_SCOPES: Record<string, string | null> = {
  app_home_opened: null,
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  'message.im': 'im:history',
  app_mention: 'app_mentions:read',
};

/** The bot's own source (not tests, not the scripts that stand in for Slack). */
export const SOURCE_DIRS = ['src', 'handlers', 'blocks'];

export function readSources(root: string, dirs = SOURCE_DIRS): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ts$/.test(name)) out.push({ file: relative(root, p), text: readFileSync(p, 'utf8') });
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}

/** Web API methods the code calls: `client.chat.postMessage(`, `this.slack.users.info(`, `apiCall('x.y'`. */
export function methodsUsed(sources: { text: string }[]): Set<string> {
  const found = new Set<string>();
  // Called on a Web API client: `client.…` (Bolt listeners) or `slack.…` (our delivery client).
  const call = /\b(?:client|slack)\.(auth|chat|conversations|users|views|reactions|files|pins|bookmarks|team|usergroups|im|apps)\.([a-zA-Z]+(?:\.[a-zA-Z]+)?)\(/g;
  const apiCall = /apiCall\(\s*'([a-z]+\.[a-zA-Z.]+)'/g;
  for (const { text } of sources) {
    for (const m of text.matchAll(call)) found.add(`${m[1]}.${m[2]}`);
    for (const m of text.matchAll(apiCall)) found.add(m[1]!);
  }
  return found;
}

/** Problems with the manifest's bot scopes against what the code uses. */
export function checkScopes(manifest: any, sources: { text: string }[]): string[] {
  const problems: string[] = [];
  const scopes: string[] = manifest?.oauth_config?.scopes?.bot ?? [];
  const events: string[] = manifest?.settings?.event_subscriptions?.bot_events ?? [];
  const methods = methodsUsed(sources);
  for (const scope of scopes) {
    const use = SCOPES[scope];
    if (!use) {
      problems.push(`bot scope ${scope} is not used by any feature (scripts/lib/scopes.ts names none): remove it, or add the feature that needs it there and to README`);
      continue;
    }
    const used =
      (use.methods ?? []).some((m) => methods.has(m)) ||
      (use.events ?? []).some((e) => events.includes(e)) ||
      (use.code ?? []).some((c) => sources.some((s) => c.pattern.test(s.text)));
    if (!used) {
      const what = [...(use.methods ?? []), ...(use.events ?? []).map((e) => `event ${e}`), ...(use.code ?? []).map((c) => c.what)].join(', ');
      problems.push(`bot scope ${scope} is not used: the code calls none of ${what} (least privilege: remove it)`);
    }
  }
  for (const method of methods) {
    if (!(method in METHOD_SCOPES)) {
      problems.push(`the code calls ${method}, whose scope scripts/lib/scopes.ts does not know: add it to METHOD_SCOPES`);
      continue;
    }
    const needs = METHOD_SCOPES[method];
    if (needs && !needs.some((s) => scopes.includes(s))) problems.push(`the code calls ${method}, which needs bot scope ${needs.join(' or ')}`);
  }
  for (const event of events) {
    if (!(event in EVENT_SCOPES)) problems.push(`bot event ${event}: scripts/lib/scopes.ts does not know its scope`);
    else if (EVENT_SCOPES[event] && !scopes.includes(EVENT_SCOPES[event]!)) problems.push(`bot event ${event} needs bot scope ${EVENT_SCOPES[event]}`);
  }
  return problems;
}
