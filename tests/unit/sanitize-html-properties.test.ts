/**
 * Properties of the normalizers' two gates for markup (src/normalize/sanitize-html.ts and
 * src/normalize/urls.ts), on hostile HTML and URLs (tests/helpers/hostile-markup.ts): the
 * sanitizer's output never holds anything a reader would run, whatever the base URL; a link
 * made absolute is an http(s) URL or nothing; HTML → text never throws. Fixed seed, 500 runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import type { ArticleRecord } from '../../src/model/article-record.ts';
import { htmlToText, sanitizeArticleHtml } from '../../src/normalize/sanitize-html.ts';
import { absoluteWebUrl } from '../../src/normalize/urls.ts';
import { hostileHtml, hostileString, runnable, unsafeParts, url } from '../helpers/hostile-markup.ts';

const SEED = 20261121;
const RUNS = 500;
const html = fc.oneof(hostileString, fc.array(hostileHtml, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')));
const base = fc.option(url, { nil: null });
const asRecord = (bodyHtml: string) => ({ bodyHtml, url: null, images: [], related: [] }) as unknown as ArticleRecord;

describe('sanitizeArticleHtml and absoluteWebUrl on hostile input', () => {
  it(`sanitized HTML holds no script, event handler or script URL, for any base (${RUNS} runs, seed ${SEED})`, () => {
    fc.assert(
      fc.property(html, base, (input, baseUrl) => {
        const out = sanitizeArticleHtml(input, baseUrl);
        assert.deepEqual(unsafeParts(asRecord(out)), [], `${JSON.stringify(input)} (base ${baseUrl}) → ${JSON.stringify(out)}`);
        htmlToText(out);
        htmlToText(input);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`a link made absolute is http(s) or nothing (${RUNS} runs, seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.oneof(url, hostileString), base, (href, baseUrl) => {
        const out = absoluteWebUrl(href, baseUrl);
        assert.ok(out === null || (/^https?:\/\//.test(out) && !runnable(out)), `${JSON.stringify(href)} (base ${baseUrl}) → ${out}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
