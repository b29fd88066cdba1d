import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRules, matchRules } from '../../src/classify/keyword-rules.ts';
import type { TopicDefinition } from '../../src/config/load-config.ts';

function topic(slug: string, rules: Record<string, Partial<TopicDefinition['rules'][string]>>): TopicDefinition {
  const full: Record<string, TopicDefinition['rules'][string]> = {};
  for (const [lang, r] of Object.entries(rules)) full[lang] = { include: [], exclude: [], require: [], minMatches: 2, ...r };
  return { slug, code: '', title: { en: slug }, rules: full, builtin: false };
}

const rules = compileRules([
  topic('economy', { ar: { include: ['نفط', 'أسعار', 'إنتاج'] }, en: { include: ['oil', 'price*'] } }),
  topic('conflict', { ar: { include: ['حرب', 'عسكري'], exclude: ['الحرب الباردة'] }, en: { include: ['war', 'troops'], exclude: ['Cold War'] } }),
  topic('space', { any: { include: ['NASA', 'ناسا'], minMatches: 1 } }),
  topic('elections', { en: { include: ['vote', 'ballot', 'poll'], require: ['election'] } }),
]);

const slugs = (text: string, lang: string) => matchRules(rules, text, lang).map((t) => t.slug);

test('Arabic terms match every spelling: hamza forms, taa marbuta, diacritics, tatweel, attached clitics', () => {
  // "الاسعار" without hamza, "وبالنفط" with two clitics, "الإنتـــاج" with tatweel, "النِّفط" with shadda and kasra.
  assert.deepEqual(slugs('ارتفعت الاسعار وبالنفط', 'ar'), ['economy']);
  assert.deepEqual(slugs('الإنتـــاج والنِّفط', 'ar'), ['economy']);
  // An ending is allowed: النفطية.
  assert.deepEqual(slugs('الشركات النفطية ترفع أسعارها', 'ar'), ['economy']);
});

test('one passing mention is not enough (minMatches distinct terms); repetition does not count twice', () => {
  assert.deepEqual(slugs('النفط ثم النفط ثم النفط', 'ar'), []);
  assert.deepEqual(slugs('oil prices', 'en'), ['economy']);
});

test('exclude phrases do not vote for their topic', () => {
  assert.deepEqual(slugs('منذ الحرب الباردة أرسلت طائرة عسكرية', 'ar'), []);
  assert.deepEqual(slugs('الحرب مستمرة وطائرة عسكرية', 'ar'), ['conflict']);
  assert.deepEqual(slugs('since the Cold War, troops', 'en'), []);
});

test('Latin terms match whole words unless they end with *; case and accents fold', () => {
  assert.deepEqual(slugs('OIL and PRICES', 'en'), ['economy']);
  assert.deepEqual(slugs('the boiler spoils', 'en'), []);
  assert.deepEqual(slugs('warfare trooper', 'en'), []);
});

test('rules apply by language; `any` applies to all; und tries every language', () => {
  assert.deepEqual(slugs('oil prices', 'ar'), []);
  assert.deepEqual(slugs('NASA', 'fr'), ['space']);
  assert.deepEqual(slugs('ناسا', 'ar-EG'), ['space']);
  assert.deepEqual(slugs('oil prices', 'und'), ['economy']);
});

test('require: at least one required term must match as well', () => {
  assert.deepEqual(slugs('vote ballot poll', 'en'), []);
  assert.deepEqual(slugs('election vote ballot', 'en'), ['elections']);
});

test('scores grow with distinct matches: minMatches gives 0.5, twice that gives 1', () => {
  const two = matchRules(rules, 'oil prices', 'en')[0];
  assert.deepEqual(two, { slug: 'economy', code: '', score: 0.5, origin: 'rule' });
  const three = matchRules(rules, 'النفط والأسعار والإنتاج', 'ar')[0];
  assert.equal(three?.score, 0.75);
});
