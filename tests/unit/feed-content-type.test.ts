/** A browser asking for HTML gets RSS/Atom typed application/xml (so it applies the stylesheet); feed readers get the feed type. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedContentType } from '../../src/http/server.ts';

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSONF = 'application/feed+json; charset=utf-8';
const XML = 'application/xml; charset=utf-8';
const CHROME = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

const cases: Array<[string, string, string | undefined, string]> = [
  ['Chromium opening an RSS link', RSS, CHROME, XML],
  ['Firefox opening an Atom link', ATOM, 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', XML],
  ['Miniflux', RSS, 'application/rss+xml, application/rdf+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8', RSS],
  ['a reader that asks for anything', ATOM, '*/*', ATOM],
  ['no Accept at all (curl, many readers)', RSS, undefined, RSS],
  ['HTML listed but refused', RSS, 'text/html;q=0, */*', RSS],
  ['HTML and the feed type both listed', ATOM, 'text/html, application/atom+xml', ATOM],
  ['JSON Feed is never retyped', JSONF, CHROME, JSONF],
];
for (const [name, stored, accept, expected] of cases) {
  test(name, () => assert.equal(feedContentType(stored, accept), expected));
}
