import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the configuration to be rejected');
}

test('the sample configuration is valid, with the 17 IPTC topics and defaults filled in', () => {
  const config = loadConfig('config', {});
  assert.equal(config.topics.filter((t) => t.builtin).length, 17);
  assert.deepEqual(
    config.topics.map((t) => t.slug).slice(0, 4),
    ['arts-culture', 'crime-law', 'disasters', 'economy'],
  );
  assert.equal(config.topics.find((t) => t.slug === 'conflict')?.code, '16000000');
  const demo = config.sources.find((s) => s.id === 'demo-wire');
  assert.equal(demo?.type, 'feed');
  assert.equal(demo?.type === 'feed' && demo.every, 60_000);
  assert.equal(config.settings.port, 8080);
  assert.equal(config.settings.publicUrl, 'http://localhost:8080');
  assert.equal(config.settings.fetch.maxBytes, 10 * 1024 * 1024);
  assert.ok(Object.isFrozen(config.sources));
});

test('the environment overrides settings.yaml', () => {
  const dir = configDir({ 'sources.yaml': 'sources: []\n', 'settings.yaml': 'port: 9000\nfeedSize: 20\nfetch:\n  timeout: 10s\n' });
  const config = loadConfig(dir, { PORT: '9100', PUBLIC_URL: 'https://news.example.org/', FETCH_MAX_BYTES: '2MB' });
  assert.equal(config.settings.port, 9100);
  assert.equal(config.settings.feedSize, 20);
  assert.equal(config.settings.fetch.timeout, 10_000);
  assert.equal(config.settings.fetch.maxBytes, 2 * 1024 * 1024);
  assert.equal(config.settings.publicUrl, 'https://news.example.org');
  assert.equal(config.settings.fetch.userAgent, 'Wirefeed/0.1.0 (+https://news.example.org/)');
});

test('every problem is reported at once, each with file, line, field path and cause', () => {
  const dir = configDir({
    'sources.yaml': [
      'sources:',
      '  - id: Bad_Id',
      '    type: feed',
      '    url: ftp://example.com/feed',
      '  - id: inbox',
      '    type: directory',
      '    path: ./inbox',
      '    every: soon',
      '    topics: [economy, astrology]',
      '  - id: inbox',
      '    type: carrier-pigeon',
      '',
    ].join('\n'),
    'topics.yaml': 'topics:\n  - slug: economy\n    code: "99000000"\n',
  });
  const problems = problemsOf(() => loadConfig(dir, { PORT: 'eighty' }));
  const expect = (pattern: RegExp) => assert.ok(problems.some((p) => pattern.test(p)), `missing ${pattern}\n${problems.join('\n')}`);
  expect(/sources\.yaml:2: sources\[0\]\.id: must be lowercase/);
  expect(/sources\.yaml:4: sources\[0\]\.url: must be an http\(s\):\/\/ or file: URL/);
  expect(/sources\.yaml:8: sources\[1\]\.every: "soon" is not a duration/);
  expect(/sources\.yaml:11: sources\[2\]\.type: /);
  expect(/topics\.yaml:3: topics\[0\]\.code: built-in topic "economy" has code 04000000/);
  expect(/^environment PORT: port: /);
  // The unknown topic is only checked once the file parses; this file has other errors.
  assert.ok(problems.length >= 6, problems.join('\n'));
});

test('cross-file checks: unknown topics and duplicate ids name the source', () => {
  const dir = configDir({
    'sources.yaml': 'sources:\n  - id: a\n    type: directory\n    path: x\n    topics: [astrology]\n    categories:\n      Stars: horoscope\n  - id: a\n    type: directory\n    path: y\n',
  });
  const problems = problemsOf(() => loadConfig(dir, {}));
  assert.deepEqual(
    problems.map((p) => p.replace(dir, 'DIR')),
    [
      'DIR/sources.yaml:5: sources[0].topics[0]: unknown topic "astrology" (declare it in topics.yaml)',
      'DIR/sources.yaml:7: sources[0].categories.Stars: unknown topic "horoscope" (declare it in topics.yaml)',
      'DIR/sources.yaml:8: sources[1].id: source id "a" is used twice',
    ],
  );
});

test('YAML syntax errors carry line and column; a missing sources.yaml is named', () => {
  const bad = configDir({ 'sources.yaml': 'sources:\n  - id: a\n   type: feed\n' });
  const problems = problemsOf(() => loadConfig(bad, {}));
  assert.match(problems[0]!, /sources\.yaml:3:\d+: YAML syntax: /);
  const empty = configDir({});
  assert.deepEqual(problemsOf(() => loadConfig(empty, {})).map((p) => p.replace(empty, 'DIR')), ['DIR/sources.yaml: file not found']);
});

test('operators add topics of their own; reserved slugs are refused', () => {
  const dir = configDir({
    'sources.yaml': 'sources:\n  - id: a\n    type: directory\n    path: x\n    topics: [energy]\n',
    'topics.yaml': 'topics:\n  - slug: energy\n    code: medtop:20000256\n    title: {en: Energy, ar: طاقة}\n    rules:\n      en: {include: [oil, gas]}\n',
  });
  const config = loadConfig(dir, {});
  const energy = config.topics.find((t) => t.slug === 'energy');
  assert.deepEqual({ code: energy?.code, title: energy?.title, builtin: energy?.builtin }, { code: '20000256', title: { en: 'Energy', ar: 'طاقة' }, builtin: false });
  assert.deepEqual(energy?.rules.en, { include: ['oil', 'gas'], exclude: [], require: [], minMatches: 2 });
  const reserved = configDir({ 'sources.yaml': 'sources: []\n', 'topics.yaml': 'topics:\n  - slug: all\n' });
  assert.match(problemsOf(() => loadConfig(reserved, {}))[0]!, /topics\[0\]\.slug: "all" is reserved/);
});

test('a push source names the environment variable of its token; the token never comes from a file', () => {
  const dir = configDir({ 'sources.yaml': 'sources:\n  - id: wire\n    type: push\n    tokenEnv: WIRE_TOKEN\n    format: ninjs\n' });
  assert.deepEqual(problemsOf(() => loadConfig(dir, {})).map((p) => p.replace(dir, 'DIR')), [
    'DIR/sources.yaml:4: sources[0].tokenEnv: environment variable WIRE_TOKEN is not set (it holds the bearer token of push source "wire")',
  ]);
  assert.match(problemsOf(() => loadConfig(dir, { WIRE_TOKEN: 'short' }))[0]!, /shorter than 16 characters/);
  const config = loadConfig(dir, { WIRE_TOKEN: 'a-long-enough-token' });
  assert.equal(config.pushTokens.get('wire'), 'a-long-enough-token');
  assert.equal(config.sources[0]?.format, 'ninjs');
  const bad = configDir({ 'sources.yaml': 'sources:\n  - id: wire\n    type: push\n    tokenEnv: WIRE_TOKEN\n    token: hunter2\n    format: word\n' });
  const problems = problemsOf(() => loadConfig(bad, { WIRE_TOKEN: 'a-long-enough-token' }));
  assert.ok(problems.some((p) => /sources\[0\]: Unrecognized key: "token"/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /sources\[0\]\.format: /.test(p)), problems.join('\n'));
});

test('an operator topic on an IPTC Media Topic: any spelling of the code, IPTC titles when it has none', () => {
  const dir = configDir({
    'sources.yaml': 'sources: []\n',
    'topics.yaml': [
      'topics:',
      '  - slug: oil-gas',
      '    code: http://cv.iptc.org/newscodes/mediatopic/20001243',
      '  - slug: transport',
      '    code: "20000337"',
      '  - slug: house-code',
      '    code: WF-42',
      '',
    ].join('\n'),
  });
  const config = loadConfig(dir, {});
  const bySlug = (slug: string) => config.topics.find((t) => t.slug === slug);
  // 20001243 has no Arabic or French label in the 2019 data; 20000337 has all three.
  assert.deepEqual([bySlug('oil-gas')?.code, bySlug('oil-gas')?.title], ['20001243', { en: 'Oil and gas industry' }]);
  assert.deepEqual(bySlug('transport')?.title, { en: 'Transport', ar: 'نقل', fr: 'Transports' });
  // A code that is not an IPTC one is the operator's own, as before.
  assert.deepEqual([bySlug('house-code')?.code, bySlug('house-code')?.title], ['WF-42', { en: 'house-code' }]);
  // The sample configuration declares energy on medtop:20000256.
  assert.equal(loadConfig('config', {}).topics.find((t) => t.slug === 'energy')?.code, '20000256');
});

test('a Media Topic code must exist and be active; retired ones name their replacement', () => {
  const dir = configDir({
    'sources.yaml': 'sources: []\n',
    'topics.yaml': [
      'topics:',
      '  - slug: nowhere',
      '    code: medtop:29999999',
      '  - slug: upstream',
      '    title: {en: Upstream}',
      '    code: medtop:20000267',
      '  - slug: energy-industry',
      '    code: "20000261"',
      '  - slug: legacy',
      '    code: subj:04005004',
      '',
    ].join('\n'),
  });
  assert.deepEqual(problemsOf(() => loadConfig(dir, {})).map((p) => p.replace(dir, 'DIR')), [
    'DIR/topics.yaml:3: topics[0].code: medtop:29999999 is not an IPTC Media Topic in the shipped taxonomy ' +
      '(assets/taxonomy/mediatopics.tsv, IPTC release 2019-04-06; newer codes need a refreshed file: scripts/derive-taxonomy.ts)',
    // IPTC retired 20000267 on 2019-07-25; 20001243 matches the same subject code 04005004.
    'DIR/topics.yaml:6: topics[1].code: medtop:20000267 "oil and gas - upstream activities" was retired by IPTC on 2019-07-25; use medtop:20001243 "oil and gas industry" instead',
    'DIR/topics.yaml:8: topics[2].code: medtop:20000261 "energy industry" was retired by IPTC on 2019-07-25 and IPTC names no replacement; use its broader concept medtop:20000256 "energy and resource" or an active concept',
    'DIR/topics.yaml:10: topics[3].code: "subj:04005004" is a legacy IPTC Subject Code; write a Media Topic code (it corresponds to medtop:20001243 "oil and gas industry")',
  ]);
});
