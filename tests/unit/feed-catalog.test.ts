import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { feedCatalog } from '../../src/render/feed-catalog.ts';

test('every topic and all get a variant per feed language, titled and described in that language', () => {
  const config = loadConfig('config', { FEED_LANGUAGES: 'ar,fr' });
  const feeds = new Map(feedCatalog(config).map((f) => [f.id, f]));
  assert.deepEqual(feeds.get('economy.ar'), {
    id: 'economy.ar',
    kind: 'topic',
    path: '/feeds/economy.ar',
    title: 'Wirefeed · اقتصاد، اعمال ومال',
    description: 'أخبار اقتصاد، اعمال ومال باللغة العربية من كل المصادر.',
    language: 'ar',
    code: '04000000',
  });
  assert.equal(feeds.get('health.fr')?.title, 'Wirefeed · Santé');
  assert.equal(feeds.get('all.ar')?.language, 'ar');
  assert.equal(feeds.get('economy.en'), undefined, 'only the configured languages');
  assert.equal(feeds.get('economy')?.title, 'Wirefeed · Economy, business and finance · اقتصاد، اعمال ومال');
  assert.equal(feeds.get('source:demo-wire')?.path, '/feeds/source/demo-wire');
  assert.equal(feeds.get('source:example-wire'), undefined, 'disabled sources have no feed');
});
