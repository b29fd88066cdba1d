import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRules, compileRules, matchRules } from '../../src/classify/keyword-rules.ts';
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

test('force: one force term assigns the topic with score 1, whatever minMatches and require say', () => {
  const forced = compileRules([
    topic('elections', { en: { include: ['vote', 'ballot'], require: ['election'], force: ['referendum'] } }),
    topic('conflict', { en: { include: ['war', 'troops'], exclude: ['Cold War'], force: ['war'] } }),
  ]);
  assert.deepEqual(matchRules(forced, 'A referendum next week', 'en'), [{ slug: 'elections', code: '', score: 1, origin: 'rule' }]);
  // A force term inside an exclude phrase of its topic does not count.
  assert.deepEqual(matchRules(forced, 'since the Cold War', 'en'), []);
  assert.deepEqual(matchRules(forced, 'the war', 'en').map((t) => [t.slug, t.score]), [['conflict', 1]]);
});

test('veto: a veto term takes the topic away and says so for the other origins', () => {
  const vetoing = compileRules([
    topic('economy', { en: { include: ['oil', 'price*'], veto: ['olive oil'] }, ar: { include: ['نفط', 'أسعار'], veto: ['زيت الزيتون'] } }),
    topic('sport', { any: { include: ['match'], minMatches: 1, force: ['league'], veto: ['match-fixing'] } }),
  ]);
  assert.deepEqual(applyRules(vetoing, 'oil prices', 'en'), { topics: [{ slug: 'economy', code: '', score: 0.5, origin: 'rule' }], vetoed: new Set() });
  assert.deepEqual(applyRules(vetoing, 'olive oil prices', 'en'), { topics: [], vetoed: new Set(['economy']) });
  // Folded Arabic, with clitics: "وزيت الزيتون".
  assert.deepEqual(applyRules(vetoing, 'أسعار النفط وزيت الزيتون', 'ar').vetoed, new Set(['economy']));
  // Veto wins over force; `any` applies to every language.
  assert.deepEqual(applyRules(vetoing, 'league match-fixing', 'fr'), { topics: [], vetoed: new Set(['sport']) });
  assert.deepEqual(slugsOf(vetoing, 'olive prices', 'en'), []);
});

function slugsOf(compiled: ReturnType<typeof compileRules>, text: string, lang: string): string[] {
  return matchRules(compiled, text, lang).map((t) => t.slug);
}
