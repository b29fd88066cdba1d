/** Every Redis script is a .lua file with a KEYS/ARGV header, its includes resolve, and Redis compiles it. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { commandName, luaSource } from '../../src/store/lua-scripts.ts';
import { ROOT } from '../helpers/service.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();
const DIR = join(ROOT, 'src/store/scripts');
const files = readdirSync(DIR).filter((f) => f.endsWith('.lua')).map((f) => f.slice(0, -4));
const included = new Set(files.flatMap((f) => [...readFileSync(join(DIR, `${f}.lua`), 'utf8').matchAll(/^-- @include ([a-z0-9-]+)/gm)].map((m) => m[1]!)));

test('each script opens with a header naming its KEYS and ARGV', () => {
  assert.ok(files.length >= 6);
  for (const name of files) {
    const header = /^--\[\[([\s\S]*?)\]\]/.exec(readFileSync(join(DIR, `${name}.lua`), 'utf8'));
    assert.ok(header, `${name}.lua has no --[[ header ]]`);
    assert.match(header[1]!, /KEYS/, `${name}.lua header names no KEYS`);
    assert.match(header[1]!, /ARGV/, `${name}.lua header names no ARGV`);
  }
});

test('includes are resolved and Redis compiles every script', { skip }, async () => {
  const client = redis.client();
  for (const name of files.filter((f) => !included.has(f))) {
    const source = luaSource(name);
    assert.doesNotMatch(source, /^-- @include/m, name);
    const sha = (await client.script('LOAD', source)) as string;
    assert.match(sha, /^[0-9a-f]{40}$/, name);
  }
});

test('command names: wf + the file name in camel case', () => {
  assert.equal(commandName('article-upsert'), 'wfArticleUpsert');
  assert.equal(commandName('lsh-candidates'), 'wfLshCandidates');
});
