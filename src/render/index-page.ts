/**
 * The service's home page: what it is and every feed it publishes, with bilingual topic titles.
 * Rendered once at server start from the configuration.
 */
import { escapeAttribute, escapeUTF8 } from 'entities';
import { directionOf } from '../normalize/language.ts';
import type { FeedEntry } from './feed-catalog.ts';

function languages(feeds: readonly FeedEntry[]): string {
  const langs = [...new Set(feeds.filter((f) => f.kind !== 'source' && f.language).map((f) => f.language!))];
  return langs
    .map((lang) => {
      const items = feeds
        .filter((f) => f.kind !== 'source' && f.language === lang)
        .map((f) => `<li><a href="${escapeAttribute(`${f.path}.atom`)}"><bdi>${escapeUTF8(f.title.replace(/^Wirefeed · /, ''))}</bdi></a></li>`)
        .join('\n');
      return `<h2 lang="${lang}">${lang}</h2>\n<ul lang="${lang}" dir="${directionOf(lang)}">\n${items}\n</ul>`;
    })
    .join('\n');
}

export function renderIndexPage(feeds: readonly FeedEntry[], publicUrl: string, version: string): string {
  const row = (f: FeedEntry) => {
    const links = (['rss', 'atom', 'json'] as const)
      .map((ext) => `<a href="${escapeAttribute(`${publicUrl}${f.path}.${ext}`)}">${ext === 'json' ? 'JSON Feed' : ext.toUpperCase()}</a>`)
      .join(' · ');
    return `<li><bdi>${escapeUTF8(f.title.replace(/^Wirefeed · /, ''))}</bdi> — ${links}</li>`;
  };
  const section = (title: string, kind: FeedEntry['kind']) => {
    // Language variants are listed under their own heading below.
    const list = feeds.filter((f) => f.kind === kind && (kind === 'source' || !f.language));
    return list.length ? `<h2>${title}</h2>\n<ul>\n${list.map(row).join('\n')}\n</ul>` : '';
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wirefeed</title>
<link rel="alternate" type="application/rss+xml" title="Wirefeed · all articles" href="${escapeAttribute(`${publicUrl}/feeds/all.rss`)}">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}li{margin:.3rem 0}</style>
</head>
<body>
<h1>Wirefeed</h1>
<p>News feeds by topic, in every language the sources carry. Subscribe to a feed in your reader, or import <a href="${escapeAttribute(`${publicUrl}/feeds.opml`)}">all feeds as OPML</a>.</p>
${section('All articles', 'all')}
${section('Topics', 'topic')}
${section('Sources', 'source')}
${languages(feeds)}
<p><small>Wirefeed ${escapeUTF8(version)} · topic labels: IPTC Media Topics (CC BY 4.0)</small></p>
</body>
</html>
`;
}
