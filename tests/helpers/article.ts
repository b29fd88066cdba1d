/** A hand-made ArticleRecord for store and render tests that do not go through normalize. */
import type { ArticleRecord } from '../../src/model/article-record.ts';

export function article(id: string, overrides: Partial<ArticleRecord> = {}): ArticleRecord {
  return {
    id,
    sourceId: 'test-source',
    url: `https://news.example.org/${id}`,
    guid: `guid-${id}`,
    language: 'en',
    direction: 'ltr',
    headline: `Headline ${id}`,
    summary: `Summary ${id}`,
    bodyHtml: `<p>Body ${id}</p>`,
    bodyText: `Body ${id}`,
    published: '2026-11-20T10:00:00.000Z',
    updated: '2026-11-20T10:00:00.000Z',
    authors: [],
    dateline: null,
    images: [],
    related: [],
    topics: [{ slug: 'economy', code: '04000000', score: 1, origin: 'source' }],
    keywords: [],
    contentHash: `hash-${id}`,
    ...overrides,
  };
}

export function topics(...slugs: string[]): ArticleRecord['topics'] {
  return slugs.map((slug) => ({ slug, code: '', score: 1, origin: 'source' as const }));
}
