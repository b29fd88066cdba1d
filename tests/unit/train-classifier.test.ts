/**
 * The training script: deterministic, and the committed model is exactly what it writes from
 * ../shared (skipped with a message when ../shared is absent).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { classifyText, DEFAULT_MODEL_PATH, loadModel } from '../../src/classify/model.ts';
import { calibrationError, fitPlatt, loadAll, loadOwnStories, prng, serializeModel, SLUGS, TOPIC_LABELS, trainModel, type Example } from '../../scripts/train-classifier.ts';

const shared = fileURLToPath(new URL('../../../shared', import.meta.url));
const noShared = existsSync(`${shared}/corpora/topics`) ? false : `../shared/corpora/topics is absent (${shared}): the shipped model cannot be retrained here`;

function ex(id: string, source: string, label: string, headline: string, body: string): Example {
  return { id, group: 'article', source, language: 'en', headline, body, labels: [label], negatives: SLUGS.filter((s) => s !== label) };
}

// A toy corpus from two outlets, hand-written: enough for the script's whole path to run.
const TOY: Example[] = [
  ex('1', 'a', 'sport', 'Cup final', 'The team won the football cup final with a late goal; the coach praised the players and the fans in the stadium.'),
  ex('2', 'a', 'sport', 'Tennis', 'The tennis champion won the match in three sets and the tournament title; the players met the fans.'),
  ex('3', 'a', 'economy', 'Markets', 'Shares fell on the stock market as oil prices rose and the central bank raised interest rates.'),
  ex('4', 'a', 'economy', 'Budget', 'The finance ministry cut the budget deficit; inflation slowed and the bank kept interest rates.'),
  ex('5', 'b', 'sport', 'League', 'A late goal gave the team the league title; the coach thanked the fans and the players after the match.'),
  ex('6', 'b', 'sport', 'Athletics', 'The sprinter won the race and the title at the championship; the fans in the stadium cheered.'),
  ex('7', 'b', 'economy', 'Oil', 'Oil prices rose and stock markets fell; the central bank warned on inflation and interest rates.'),
  ex('8', 'b', 'economy', 'Trade', 'Exports rose and the trade deficit narrowed, the finance minister said; shares and the currency gained.'),
];

test('training is deterministic and the toy model files a new story under the right topic', () => {
  const one = trainModel(TOY, { epochs: 6, minDf: 1 });
  const two = trainModel(TOY, { epochs: 6, minDf: 1 });
  assert.equal(serializeModel(one.file), serializeModel(two.file));
  const model = loadModel(serializeModel(one.file));
  assert.equal(classifyText(model, { headline: 'Derby', body: 'The coach said the team and the fans deserved the goal and the title.' })[0]?.slug, 'sport');
  assert.equal(classifyText(model, { headline: 'Rates', body: 'The central bank raised interest rates as inflation and oil prices rose.' })[0]?.slug, 'economy');
});

test('Platt scaling recovers the slope and offset that generated the labels', () => {
  const rand = prng(7);
  const pairs = Array.from({ length: 20_000 }, () => {
    const z = rand() * 12 - 6;
    return { z, y: rand() < 1 / (1 + Math.exp(-(0.5 * z - 1))) ? 1 : 0 };
  });
  const { a, b } = fitPlatt(pairs);
  assert.ok(Math.abs(a - 0.5) < 0.05 && Math.abs(b + 1) < 0.1, JSON.stringify({ a, b }));
  // Calibrated scores have a small ECE; the uncalibrated logistic of the same logits does not.
  const ece = (f: (z: number) => number) => calibrationError(pairs.map((p) => ({ p: 1 / (1 + Math.exp(-f(p.z))), y: p.y })));
  assert.ok(ece((z) => a * z + b) < 0.02, String(ece((z) => a * z + b)));
  assert.ok(ece((z) => z) > 0.1, String(ece((z) => z)));
  // Too few positives to fit: identity.
  assert.deepEqual(fitPlatt([{ z: 1, y: 1 }, { z: 0, y: 0 }]), { a: 1, b: 0 });
});

test('every label of the shared corpora INDEX maps to a topic or, for regions and mixtures, to none', () => {
  for (const [label, slug] of Object.entries(TOPIC_LABELS)) {
    if (slug === null) assert.match(label, /^(internationalNews|middleEast|localNews|diverse|others)$/);
    else for (const s of slug.split('+')) assert.ok(SLUGS.includes(s), `${label} → ${s}`);
  }
});

test('own training stories follow LABELLING.md: known topics, mentions apart from labels, unique ids', () => {
  const own = loadOwnStories();
  assert.ok(own.length >= 1500, String(own.length));
  assert.equal(new Set(own.map((e) => e.id)).size, own.length);
  for (const lang of ['ar', 'en', 'fr']) {
    const part = own.filter((e) => e.language === lang);
    // Every topic the files promise has stories in English and French; Arabic covers the topics the news corpora lack.
    const topics = new Set(part.flatMap((e) => e.labels));
    for (const s of lang === 'ar' ? ['disasters', 'labour', 'lifestyle', 'weather', 'human-interest', 'crime-law', 'conflict'] : SLUGS) assert.ok(topics.has(s), `${lang}: ${s}`);
  }
  for (const e of own) for (const m of e.mentions ?? []) assert.ok(!e.labels.includes(m), e.id);
});

test('the committed model is exactly what scripts/train-classifier.ts writes from ../shared', { skip: noShared }, async () => {
  const text = serializeModel(trainModel(await loadAll(shared)).file);
  assert.ok(text === readFileSync(DEFAULT_MODEL_PATH, 'utf8'), 'assets/model/topics.json differs from a fresh training run: retrain and commit it');
});
