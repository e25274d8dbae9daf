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
