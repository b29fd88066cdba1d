/**
 * bench/faults helpers: the generated items (RSS 2.0, Arabic, English and French words drawn from
 * the project's own fixtures, every item its own story so the near-duplicate check rightly folds
 * nothing), dated minutes before the run, and what the store holds of them at the end.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { articleId } from '../src/normalize/identity.ts';
import { keys } from '../src/store/keys.ts';

function vocabulary(files: string[], keep: (w: string) => boolean): string[] {
  const text = files.map((f) => readFileSync(resolve(import.meta.dirname, '..', f), 'utf8')).join(' ');
  return [...new Set(text.replace(/<[^>]+>/g, ' ').split(/[\s،,.;:!?()"“”«»]+/u).filter((w) => w.length > 2 && keep(w)))];
}
const LANGS: Array<{ tag: string; words: string[] }> = [
  { tag: 'ar', words: vocabulary(['tests/fixtures/wire/seed-ar-kremlin.txt'], (w) => /^\p{Script=Arabic}+$/u.test(w)) },
  { tag: 'en', words: vocabulary(['tests/fixtures/wire/en-ap-senate.txt', 'config/demo/demo-feed.xml'], (w) => /^[A-Za-z]+$/.test(w)) },
  { tag: 'fr', words: vocabulary(['tests/fixtures/wire/fr-afp-confinement.txt'], (w) => /^[\p{Script=Latin}'’-]+$/u.test(w)) },
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** One generated item: its guid and the RSS `<item>` carrying it. */
export interface GenItem {
  guid: string;
  xml: string;
}

/**
 * Item `n` of a run tagged `tag`, dated `now − (n mod 600) minutes`: inside any retention and
 * never a fixed date.
 */
export function makeItem(tag: string, n: number, nowMs: number): GenItem {
  const r = rng(n * 7919 + tag.length * 104729 + 1);
  const { words } = LANGS[n % LANGS.length]!;
  const sentence = (k: number) => Array.from({ length: k }, () => words[Math.floor(r() * words.length)]!).join(' ');
  const guid = `${tag}-${n}`;
  const paragraphs = [`${sentence(30)}.`, `${sentence(30)}.`];
  const date = new Date(nowMs - (n % 600) * 60_000 - 60_000).toUTCString();
  const xml =
    `<item><title>${escape(`${sentence(8)} ${tag} ${n}`)}</title>` +
    `<link>https://faults.example.org/${tag}/${n}</link><guid isPermaLink="false">${guid}</guid>` +
    `<pubDate>${date}</pubDate><description>${escape(paragraphs[0]!)}</description>` +
    `<content:encoded><![CDATA[${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('')}]]></content:encoded></item>`;
  return { guid, xml };
}

export function rssDocument(title: string, items: readonly GenItem[]): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">` +
    `<channel><title>${escape(title)}</title><link>https://faults.example.org/</link><description>bench/faults</description>` +
    `${items.map((i) => i.xml).join('')}</channel></rss>`
  );
}

/** What the store holds of the generated items. */
export interface StoreCheck {
  /** Generated items whose article record is in the store. */
  stored: number;
  /** Guids (by expected article id) absent from the store. */
  missing: Set<string>;
  /** Members of the `all` index. */
  allIndex: number;
  /** Generated items in the store but not in `all` (held, or folded as a near-duplicate of another). */
  notInAll: number;
  /**
   * Extra copies: `all` members that are not a generated item's id, plus records beyond the first
   * sharing one guid or one headline.
   */
  duplicated: number;
}

/** Expected article id of each guid: the same derivation the service uses (source id + guid). */
export function expectedIds(sourceOf: (guid: string) => string, guids: readonly string[]): Map<string, string> {
  return new Map(guids.map((g) => [articleId(sourceOf(g), g), g]));
}

/** Counts stored, missing and duplicated items directly in Redis (key names from src/store/keys.ts). */
export async function checkStore(redis: Redis, prefix: string, expected: Map<string, string>): Promise<StoreCheck> {
  const k = keys(prefix);
  const ids = [...expected.keys()];
  const missing = new Set<string>();
  let stored = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    const rows = await redis.mget(part.map((id) => k.article(id)));
    rows.forEach((row, j) => {
      if (row === null) missing.add(expected.get(part[j]!)!);
      else stored++;
    });
  }
  const all = await redis.zrange(k.index('all'), '0', '-1');
  const inAll = new Set(all);
  const notInAll = ids.filter((id) => !inAll.has(id)).length - missing.size;
  const extra = all.filter((id) => !expected.has(id)).length;
  // Every record the store holds (the meta hash has one field per stored article).
  const storedIds = await redis.hkeys(k.meta);
  const guids = new Map<string, number>();
  const headlines = new Map<string, number>();
  for (let i = 0; i < storedIds.length; i += 1000) {
    const rows = await redis.mget(storedIds.slice(i, i + 1000).map((id) => k.article(id)));
    for (const row of rows) {
      if (row === null) continue;
      const a = JSON.parse(row) as { guid: string; headline: string };
      guids.set(a.guid, (guids.get(a.guid) ?? 0) + 1);
      headlines.set(a.headline, (headlines.get(a.headline) ?? 0) + 1);
    }
  }
  const repeats = (m: Map<string, number>) => [...m.values()].reduce((n, c) => n + (c - 1), 0);
  return { stored, missing, allIndex: all.length, notInAll, duplicated: extra + Math.max(repeats(guids), repeats(headlines)) };
}

/** Items of /feeds/all.json seen more than once (by id, by url, by title). */
export function feedRepeats(body: string): { items: number; repeats: number } | null {
  let feed: { items?: Array<{ id?: string; url?: string; title?: string }> };
  try {
    feed = JSON.parse(body) as typeof feed;
  } catch {
    return null;
  }
  const items = feed.items ?? [];
  const count = (f: (i: { id?: string; url?: string; title?: string }) => string | undefined) => {
    const seen = new Set<string>();
    let n = 0;
    for (const i of items) {
      const v = f(i);
      if (v === undefined) continue;
      if (seen.has(v)) n++;
      seen.add(v);
    }
    return n;
  };
  return { items: items.length, repeats: Math.max(count((i) => i.id), count((i) => i.url), count((i) => i.title)) };
}
