/** Feeds served name the stylesheet, the server serves it, and libxslt turns the served feed into a page. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { useTestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor } from '../helpers/service.ts';

const { skip: noRedis, redis } = useTestRedis();
const skip = noRedis || (spawnSync('xsltproc', ['--version']).error ? 'xsltproc is not installed (apt-get install xsltproc)' : false);

test('RSS and Atom name /feeds/feed.xsl; it is served as XSL; the served feed reads as a page', { skip, timeout: 60_000 }, async () => {
  const svc = await startTestService(redis, 'sources:\n  - id: wire\n    type: directory\n    path: ./nowhere\n    enabled: false\n', {
    roles: { http: true, queues: ['publish'], scheduler: true },
  });
  try {
    const base = svc.service.url!;
    const rss = await waitFor('the all feed published', async () => {
      const r = await fetch(`${base}/feeds/all.rss`);
      return r.status === 200 ? r.text() : undefined;
    });
    assert.match(rss, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<\?xml-stylesheet type="text\/xsl" href="\/feeds\/feed\.xsl"\?>\n<rss /);
    const atom = await (await fetch(`${base}/feeds/all.ar.atom`)).text();
    assert.match(atom, /<\?xml-stylesheet type="text\/xsl" href="\/feeds\/feed\.xsl"\?>\n<feed /);
    const json = await (await fetch(`${base}/feeds/all.json`)).text();
    assert.doesNotMatch(json, /xml-stylesheet/);

    const xsl = await fetch(`${base}/feeds/feed.xsl`);
    assert.equal(xsl.status, 200);
    assert.equal(xsl.headers.get('content-type'), 'text/xsl; charset=utf-8');
    const dir = mkdtempSync(join(tmpdir(), 'wf-xsl-'));
    writeFileSync(join(dir, 'feed.xsl'), await xsl.text());
    writeFileSync(join(dir, 'feed.xml'), atom);
    const page = spawnSync('xsltproc', ['--nonet', join(dir, 'feed.xsl'), join(dir, 'feed.xml')], { encoding: 'utf8' });
    assert.equal(page.status, 0, page.stderr);
    assert.match(page.stdout, /<html lang="ar" dir="rtl">/);
  } finally {
    await svc.service.stop();
  }
});
