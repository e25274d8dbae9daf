import { Writable } from 'node:stream';
import { boltLogger, createLogger } from '../../src/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

test('tokens and secrets never reach the log, in fields or in free text', () => {
  const { lines, stream } = capture();
  const log = createLogger('info', stream);
  log.info({ token: 'xoxb-1234-secret', config: { slack: { botToken: 'xoxb-1234-secret' } }, headers: { authorization: 'Bearer xoxb-1234-secret' } }, 'calling Slack');
  log.error('request failed for token xoxb-1234-secret and app token xapp-1-A1-secret');
  boltLogger(log).warn('Bolt says', 'xoxb-1234-secret', new Error('xoxp-999-user-token rejected'));
  const all = lines.join('\n');
  expect(lines).toHaveLength(3);
  expect(all).not.toContain('xoxb-1234-secret');
  expect(all).not.toContain('xapp-1-A1-secret');
  expect(all).not.toContain('xoxp-999-user-token');
  expect(all).toContain('[Redacted]');
  expect(all).toContain('calling Slack');
});

test("Bolt's logger writes its levels at or above LOG_LEVEL and skips the rest unformatted", () => {
  const { lines, stream } = capture();
  const bolt = boltLogger(createLogger('info', stream));
  let formatted = 0;
  const costly = { toJSON: () => ++formatted };
  bolt.debug('request body', costly);
  bolt.info('started', costly);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('started');
  // The debug line was dropped before its arguments were formatted.
  expect(formatted).toBe(1);
});
