import { findStatusLinks, messageTextWithoutLinks, parseStatusUrl, previewFor } from '../../src/ingest/post-links';
import { identify } from '../../src/ingest/forward-form';

test.each([
  'https://x.com/DrJane/status/1790000000000000001',
  'https://twitter.com/DrJane/status/1790000000000000001?s=20&t=abc',
  'https://mobile.twitter.com/DrJane/status/1790000000000000001',
  'https://www.twitter.com/DrJane/statuses/1790000000000000001/',
  'https://fxtwitter.com/DrJane/status/1790000000000000001',
  'https://vxtwitter.com/DrJane/status/1790000000000000001#m',
  'https://x.com/DrJane/status/1790000000000000001?s=46&amp;t=x',
])('%s is the post 1790000000000000001 by DrJane', (url) => {
  expect(parseStatusUrl(url)).toEqual({ handle: 'DrJane', id: '1790000000000000001', url: 'https://x.com/DrJane/status/1790000000000000001' });
});

test.each(['https://x.com/DrJane', 'https://example.com/DrJane/status/1', 'https://x.com.evil.example/DrJane/status/1', 'ftp://x.com/a/status/1'])('%s is not a status link', (url) => {
  expect(parseStatusUrl(url)).toBeNull();
});

test('links are found in Slack\'s <url|label> form and bare, once each', () => {
  const text = 'see <https://x.com/a/status/1|this> and https://twitter.com/b/status/2 and again <https://x.com/a/status/1>';
  expect(findStatusLinks(text).map((l) => l.id)).toEqual(['1', '2']);
  expect(messageTextWithoutLinks('wow <https://x.com/a/status/1> &amp; <@U1> agrees')).toBe('wow & agrees');
});

test('previews in the current and the older Twitter style', () => {
  const link = parseStatusUrl('https://x.com/DrJane/status/5')!;
  expect(previewFor(link, [{ title: 'Dr. Jane &amp; Co (@DrJane) on X', text: 'a &lt;b&gt;', original_url: 'https://x.com/DrJane/status/5' }])).toEqual({
    handle: 'DrJane', name: 'Dr. Jane & Co', text: 'a <b>', postedAt: null,
  });
  expect(previewFor(link, [{ author_name: 'Jane', author_subname: '@DrJane', text: 'old style', from_url: 'https://twitter.com/DrJane/status/5?s=46&amp;t=x', ts: 1700000000 }])).toEqual({
    handle: 'DrJane', name: 'Jane', text: 'old style', postedAt: '2023-11-14T22:13:20.000Z',
  });
  expect(previewFor(link, [{ title: 'Other', text: 'x', original_url: 'https://x.com/DrJane/status/6' }])).toBeNull();
});

test('non-X links are identified by site and canonical URL', () => {
  expect(identify('https://www.linkedin.com/posts/jane-123/?utm=x')).toEqual({ source: 'linkedin.com', id: 'https://www.linkedin.com/posts/jane-123', url: 'https://www.linkedin.com/posts/jane-123/?utm=x' });
  expect(identify('https://x.com/a/status/9')).toEqual({ source: 'x', id: '9', url: 'https://x.com/a/status/9' });
});
