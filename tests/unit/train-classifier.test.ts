/**
 * The training script: deterministic, and the committed model is exactly what it writes from
 * ../shared (skipped with a message when ../shared is absent).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { classifyText, DEFAULT_MODEL_PATH, loadModel } from '../../src/classify/model.ts';
import { loadAll, serializeModel, shippedModel, SLUGS, trainModel, type Example } from '../../scripts/train-classifier.ts';

const shared = fileURLToPath(new URL('../../../shared', import.meta.url));
const noShared = existsSync(`${shared}/corpora/arabic-news`) ? false : `../shared/corpora is absent (${shared}): the shipped model cannot be retrained here`;

function ex(id: string, source: string, label: string, headline: string, body: string): Example {
  return { id, group: 'article', source, headline, body, labels: [label], negatives: SLUGS.filter((s) => s !== label) };
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
  const one = trainModel(TOY, { epochs: 6 });
  const two = trainModel(TOY, { epochs: 6 });
  assert.equal(serializeModel(one.file), serializeModel(two.file));
  const model = loadModel(serializeModel(one.file));
  assert.equal(classifyText(model, { headline: 'Derby', body: 'The coach said the team and the fans deserved the goal and the title.' })[0]?.slug, 'sport');
  assert.equal(classifyText(model, { headline: 'Rates', body: 'The central bank raised interest rates as inflation and oil prices rose.' })[0]?.slug, 'economy');
});

test('the committed model is exactly what scripts/train-classifier.ts writes from ../shared', { skip: noShared }, async () => {
  const text = serializeModel(shippedModel(await loadAll(shared)).file);
  assert.ok(text === readFileSync(DEFAULT_MODEL_PATH, 'utf8'), 'assets/model/topics.json differs from a fresh training run: retrain and commit it');
});
