import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { parseDocument } from '../../src/formats/parse-document.ts';
import { parseFeedXml } from '../../src/formats/rss-atom.ts';
import { repairEntities } from '../../src/formats/xml-repair.ts';
import { WireError } from '../../src/model/wire-error.ts';

const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url)));
const fixture = (name: string) => decodeBody(fixtureBytes(name), null);

const RSS_NS =
  'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"';
const rss = (items: string, channel = '') => `<rss version="2.0" ${RSS_NS}><channel><title>T</title>${channel}${items}</channel></rss>`;
const atom = (entries: string, attrs = '') => `<feed xmlns="http://www.w3.org/2005/Atom"${attrs}><title>T</title>${entries}</feed>`;

describe('parseFeedXml: RSS 2.0', () => {
  it('maps the English RSS fixture', async () => {
    assert.deepEqual(await parseFeedXml(fixture('rss-en.xml'), 'rss'), {
      format: 'rss',
      title: 'Harbour Town Courier',
      link: 'https://courier.example.org/',
      language: 'en-gb',
      items: [
        {
          guid: 'courier-2024-0312-ferry',
          url: 'https://courier.example.org/news/ferry-resumes',
          title: 'Ferry service resumes after winter storms',
          summary: 'The island ferry sails again on Wednesday & timetables return to normal.',
          contentHtml:
            '<p>HARBOUR TOWN — The island ferry will sail again on Wednesday, the operator said.</p><p>Crews spent three weeks repairing the &quot;north&quot; slipway.</p>',
          published: 'Tue, 12 Mar 2024 08:30:00 +0000',
          authors: ['Morag Ellis', 'Tom Baptiste'],
          categories: ['Transport', 'Local'],
          language: 'en-gb',
          images: [{ url: 'https://courier.example.org/img/ferry.jpg', caption: null, credit: null }],
        },
        {
          guid: 'https://courier.example.org/news/library-hours',
          url: '/news/library-hours',
          title: 'Library extends opening hours',
          summary: '<p>The central library will stay open until 8pm on weekdays.</p>',
          published: 'Mon, 11 Mar 2024 17:05:00 GMT',
          authors: ['desk@courier.example.org (News Desk)'],
          language: 'en-gb',
          images: [{ url: 'https://courier.example.org/img/library.jpg', caption: 'Reading room of the central library', credit: 'Ana Ruiz' }],
        },
        {
          guid: 'https://courier.example.org/tides/2024-11',
          url: 'https://courier.example.org/tides/2024-11',
          title: 'Tide tables for the week',
          summary: 'High water at 06:12 and 18:40 on Monday.',
          published: '2024-03-10T06:00:00Z',
          language: 'en-gb',
        },
      ],
    });
  });

  it('maps the windows-1256 Arabic fixture once decoded', async () => {
    const doc = await parseFeedXml(fixture('rss-ar-windows-1256.xml'), 'rss');
    assert.equal(doc.title, 'أخبار الواحة');
    assert.equal(doc.language, 'ar');
    assert.deepEqual(doc.items, [
      {
        guid: 'akhbar-1001',
        url: 'https://akhbar.example.net/2024/03/maktaba',
        title: 'افتتاح مكتبة عامة جديدة في المدينة',
        summary: 'افتتحت البلدية صباح اليوم مكتبة عامة تضم ثلاثة آلاف كتاب.',
        published: 'Tue, 12 Mar 2024 11:00:00 +0300',
        authors: ['سلمى الحسن'],
        categories: ['ثقافة'],
        language: 'ar',
      },
    ]);
  });

  it('does not take a guid marked isPermaLink="false" as the URL', async () => {
    const doc = await parseFeedXml(rss('<item><title>x</title><guid isPermaLink="false">https://x.example/1</guid></item>'), 'rss');
    assert.deepEqual(doc.items[0], { guid: 'https://x.example/1', title: 'x' });
  });

  it('reads item language from xml:lang or dc:language, else the root xml:lang', async () => {
    const xml = `<rss version="2.0" xml:lang="de" ${RSS_NS}><channel><title>T</title>
      <item xml:lang="fr"><title>a</title></item>
      <item><title>b</title><dc:language>it</dc:language></item>
      <item><title>c</title></item></channel></rss>`;
    const doc = await parseFeedXml(xml, 'rss');
    assert.equal(doc.language, 'de');
    assert.deepEqual(
      doc.items.map((i) => i.language),
      ['fr', 'it', 'de'],
    );
  });

  it('reads media:group contents, and a thumbnail only when there is no picture', async () => {
    const doc = await parseFeedXml(
      rss(`<item><title>a</title><media:group>
             <media:content url="https://x.example/big.jpg" type="image/jpeg"><media:credit>Photo Desk</media:credit></media:content>
             <media:content url="https://x.example/clip.mp4" type="video/mp4"/>
             <media:thumbnail url="https://x.example/small.jpg"/>
           </media:group><media:description>A harbour at dawn</media:description></item>
           <item><title>b</title><media:thumbnail url="https://x.example/thumb.jpg"/></item>`),
      'rss',
    );
    assert.deepEqual(doc.items[0]?.images, [{ url: 'https://x.example/big.jpg', caption: 'A harbour at dawn', credit: 'Photo Desk' }]);
    assert.deepEqual(doc.items[1]?.images, [{ url: 'https://x.example/thumb.jpg', caption: null, credit: null }]);
  });

  it('reads Media RSS categories, on the item and in its media:group, after the RSS ones (RSS and Atom)', async () => {
    const r = await parseFeedXml(
      rss('<item><title>a</title><category>Politics</category><media:category scheme="urn:x">cat1</media:category><media:group><media:category>cat2</media:category></media:group></item>'),
      'rss',
    );
    assert.deepEqual(r.items[0]?.categories, ['Politics', 'cat1', 'cat2']);
    const a = await parseFeedXml(atom('<entry xmlns:m="http://search.yahoo.com/mrss/"><id>1</id><category term="sport"/><m:category>rugby</m:category></entry>'), 'atom');
    assert.deepEqual(a.items[0]?.categories, ['sport', 'rugby']);
  });

  it('ignores non-image enclosures and de-duplicates images', async () => {
    const doc = await parseFeedXml(
      rss(`<item><title>a</title>
        <enclosure url="https://x.example/ep.mp3" type="audio/mpeg" length="1"/>
        <media:content url="https://x.example/p.png" medium="image"/>
        <enclosure url="https://x.example/p.png" type="image/png" length="1"/></item>`),
      'rss',
    );
    assert.deepEqual(doc.items[0]?.images, [{ url: 'https://x.example/p.png', caption: null, credit: null }]);
  });

  it('keeps unescaped markup inside <description> in document order', async () => {
    const doc = await parseFeedXml(rss('<item><title>a</title><description>Hello <b>bold</b> world, <i>again</i>.</description></item>'), 'rss');
    assert.equal(doc.items[0]?.summary, 'Hello <b>bold</b> world, <i>again</i>.');
  });

  it('accepts RSS without a version attribute', async () => {
    const doc = await parseFeedXml('<rss><channel><title>T</title><item><title>x</title></item></channel></rss>', 'rss');
    assert.deepEqual(doc.items, [{ title: 'x' }]);
  });

  it('tolerates a bare ampersand and HTML entities', async () => {
    const doc = await parseFeedXml(rss('<item><title>AT&T&nbsp;&NewLine;&hellip; &bogus; Q&amp;A</title></item>'), 'rss');
    assert.equal(doc.items[0]?.title, 'AT&T\u00a0\n\u2026 &bogus; Q&A');
  });

  it('throws PARSE_ERROR with the parser message on malformed XML', async () => {
    await assert.rejects(
      parseFeedXml('<rss version="2.0"><channel><title>T</title><item></channel></rss>', 'rss'),
      (err: unknown) => err instanceof WireError && err.code === 'PARSE_ERROR' && /Unexpected close tag/.test(err.message),
    );
  });

  it('reads items straight under <rss> when there is no channel, and an empty <rss> as no items', async () => {
    const loose = await parseFeedXml('<rss version="0.91"><title>Loose</title><item><title>a</title></item><item><title>b</title></item></rss>', 'rss');
    assert.deepEqual(loose, { format: 'rss', title: 'Loose', items: [{ title: 'a' }, { title: 'b' }] });
    assert.deepEqual(await parseFeedXml('<rss version="2.0"></rss>', 'rss'), { format: 'rss', items: [] });
  });

  it('reads namespaces bound to unusual prefixes', async () => {
    const xml = `<rss version="2.0" xmlns:c="http://purl.org/rss/1.0/modules/content/" xmlns:a10="http://www.w3.org/2005/Atom">
      <channel><title>T</title><item><title>x</title><c:encoded>&lt;p&gt;body&lt;/p&gt;</c:encoded><a10:updated>2024-03-01T10:00:00Z</a10:updated></item></channel></rss>`;
    assert.deepEqual((await parseFeedXml(xml, 'rss')).items[0], { title: 'x', contentHtml: '<p>body</p>', updated: '2024-03-01T10:00:00Z' });
    const prefixedAtom = `<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>P</atom:title><atom:entry><atom:id>1</atom:id><atom:content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>a <b>b</b></p></div></atom:content></atom:entry></atom:feed>`;
    assert.deepEqual(await parseFeedXml(prefixedAtom, 'atom'), { format: 'atom', title: 'P', items: [{ guid: '1', contentHtml: '<p>a <b>b</b></p>' }] });
  });
});

describe('parseFeedXml: Atom', () => {
  it('maps the French Atom fixture', async () => {
    assert.deepEqual(await parseFeedXml(fixture('atom-fr.xml'), 'atom'), {
      format: 'atom',
      title: 'La Gazette du Val',
      link: 'https://gazette.example.fr/',
      language: 'fr',
      items: [
        {
          guid: 'tag:gazette.example.fr,2024:marche-couvert',
          url: 'https://gazette.example.fr/2024/03/marche-couvert',
          title: 'Le marché couvert rouvre ses portes',
          summary: 'Après huit mois de travaux, les commerçants retrouvent leurs étals.',
          contentHtml: '<p>Après huit mois de travaux, le marché couvert rouvre samedi.</p><p>« C’est un soulagement », confie une maraîchère.</p>',
          published: '2024-03-12T09:00:00+01:00',
          updated: '2024-03-12T10:15:00+01:00',
          authors: ['Claire Dumont', 'Yves Le Goff'],
          categories: ['economie', 'vie-locale'],
          language: 'fr',
          images: [{ url: 'https://gazette.example.fr/img/marche.jpg', caption: null, credit: null }],
        },
        {
          guid: 'tag:gazette.example.fr,2024:jumelage',
          url: 'https://gazette.example.fr/2024/03/jumelage',
          title: 'Twinning visit from Kilkenny',
          contentHtml: '<p>A delegation of <em>twelve</em> visitors arrives on Friday.</p><p>The mayor will host them at the town hall.</p>',
          updated: '2024-03-11T18:00:00+01:00',
          authors: ['Rédaction de la Gazette'],
          language: 'en',
          related: [{ title: 'Kilkenny twinning committee', url: 'https://kilkenny.example.ie/twinning' }],
        },
      ],
    });
  });

  it('puts text content in contentText and skips out-of-line content', async () => {
    const doc = await parseFeedXml(
      atom(`<entry><id>1</id><content>Line one &amp; &lt;b&gt;not&lt;/b&gt; markup</content></entry>
            <entry><id>2</id><content type="text/html" src="https://x.example/2"/></entry>`),
      'atom',
    );
    assert.deepEqual(doc.items[0], { guid: '1', contentText: 'Line one & <b>not</b> markup' });
    assert.deepEqual(doc.items[1], { guid: '2' });
  });

  it('unwraps a prefixed xhtml div', async () => {
    const doc = await parseFeedXml(
      atom(`<entry><id>1</id><content type="xhtml"><x:div xmlns:x="http://www.w3.org/1999/xhtml"><x:p>One <x:a href="/a">link</x:a></x:p></x:div></content></entry>`),
      'atom',
    );
    assert.equal(doc.items[0]?.contentHtml, '<p>One <a href="/a">link</a></p>');
  });

  it('keeps a date it cannot parse, as written, and the rest of the feed', async () => {
    const doc = await parseFeedXml(
      atom('<entry><id>1</id><published>hier soir</published></entry><entry><id>2</id><updated>2024-03-01T10:00:00</updated></entry>'),
      'atom',
    );
    assert.deepEqual(doc.items, [
      { guid: '1', published: 'hier soir' },
      { guid: '2', updated: '2024-03-01T10:00:00' },
    ]);
  });

  it('prefers a real link over a bare <link>text</link>', async () => {
    const doc = await parseFeedXml(atom('<entry><id>1</id><link>https://x.example/bare</link><link href="https://x.example/real"/></entry>'), 'atom');
    assert.equal(doc.items[0]?.url, 'https://x.example/real');
    const bareOnly = await parseFeedXml(atom('<entry><id>2</id><link>https://x.example/bare</link></entry>'), 'atom');
    assert.equal(bareOnly.items[0]?.url, 'https://x.example/bare');
  });

  it('takes the item language from the content xml:lang when the entry has none', async () => {
    const doc = await parseFeedXml(atom('<entry><id>1</id><content type="html" xml:lang="es">&lt;p&gt;hola&lt;/p&gt;</content></entry>', ' xml:lang="en"'), 'atom');
    assert.equal(doc.items[0]?.language, 'es');
  });

  it('reads Atom 0.3 issued/modified dates', async () => {
    const doc = await parseFeedXml(
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title><entry><id>1</id><issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified></entry></feed>',
      'atom',
    );
    assert.deepEqual(doc.items[0], { guid: '1', published: '2004-01-01T00:00:00Z', updated: '2004-01-02T00:00:00Z' });
  });
});

describe('parseFeedXml: RSS 1.0 (RDF)', () => {
  it('maps channel and items', async () => {
    const xml = `<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://rdf.example/"><title>Rundbrief</title><link>https://rdf.example/</link><dc:language>de</dc:language></channel>
        <item rdf:about="https://rdf.example/1"><title>Erste Meldung</title><link>https://rdf.example/1</link>
          <dc:date>2024-01-05T12:00:00+01:00</dc:date><dc:creator>K. Braun</dc:creator><dc:subject>Wetter</dc:subject></item>
      </rdf:RDF>`;
    assert.deepEqual(await parseFeedXml(xml, 'rdf'), {
      format: 'rdf',
      title: 'Rundbrief',
      link: 'https://rdf.example/',
      language: 'de',
      items: [
        {
          guid: 'https://rdf.example/1',
          url: 'https://rdf.example/1',
          title: 'Erste Meldung',
          published: '2024-01-05T12:00:00+01:00',
          authors: ['K. Braun'],
          categories: ['Wetter'],
          language: 'de',
        },
      ],
    });
  });
});

describe('repairEntities', () => {
  it('leaves a well-formed document unchanged', () => {
    const xml = '<a t="x &amp; y">&lt;b&gt; &#233; &#xE9; &quot;q&quot; &apos;</a>';
    assert.equal(repairEntities(xml), xml);
  });

  it('does not touch CDATA sections and comments', () => {
    const xml = '<a><![CDATA[AT&T &nbsp;]]><!-- R&D --></a>';
    assert.equal(repairEntities(xml), xml);
  });

  it('rewrites what sax would reject', () => {
    assert.equal(repairEntities('<a>AT&T &eacute; &bogus; &#0; &#x1;</a>'), '<a>AT&amp;T &#233; &amp;bogus;  </a>');
  });
});

describe('parseFeedXml: Atom 0.3 and RSS 0.9x read as well as Atom 1.0 and RSS 2.0', () => {
  it('maps the Atom 0.3 fixture: links, issued/modified, escaped, base64 and xml content', async () => {
    assert.deepEqual(await parseDocument(fixture('atom-0.3.xml')), {
      format: 'atom',
      title: 'Harbour Gazette',
      link: 'https://harbour.example.com/',
      language: 'en',
      items: [
        {
          guid: 'tag:harbour.example.com,2004:1',
          url: 'https://harbour.example.com/news/1',
          title: 'Ferry timetable changes for winter',
          summary: 'Fewer crossings from November.',
          contentHtml: '<p>Fewer <b>crossings</b> from November.</p>',
          published: '2004-05-31T20:00:00-04:00',
          updated: '2004-06-01T01:00:00Z',
          authors: ['Desk'],
          language: 'en',
        },
        {
          guid: 'tag:harbour.example.com,2004:2',
          url: 'https://harbour.example.com/news/2',
          title: 'Lighthouse reopens',
          contentHtml: '<p>Visitors welcome again.</p>',
          published: '2004-05-30T09:00:00Z',
          authors: ['Desk'],
          language: 'en',
        },
        {
          guid: 'tag:harbour.example.com,2004:3',
          url: 'https://harbour.example.com/news/3',
          title: 'Regatta moved',
          // Atom 0.3 mode="xml" content is the XML as written: its div is part of it.
          contentHtml: '<div><p>Now on <em>Sunday</em>.</p></div>',
          published: '2004-05-29T09:00:00Z',
          authors: ['Desk'],
          language: 'en',
        },
      ],
    });
  });

  const items = '<item><title>A</title><link>https://e.example/a</link><description>d</description></item>';
  for (const version of ['0.90', '0.91', '0.92', '0.93', '0.94', '2.0']) {
    it(`RSS ${version}: channel and items`, async () => {
      const doc = await parseDocument(`<?xml version="1.0"?><rss version="${version}"><channel><title>T</title><link>https://e.example/</link>${items}</channel></rss>`);
      assert.deepEqual(doc, { format: 'rss', title: 'T', link: 'https://e.example/', items: [{ url: 'https://e.example/a', title: 'A', summary: 'd' }] });
    });
  }

  it('RSS 0.90 (RDF in the Netscape namespace): items beside the channel', async () => {
    const doc = await parseDocument(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>T</title><link>https://e.example/</link></channel>' +
        items.replace('<description>d</description>', '') +
        '</rdf:RDF>',
    );
    assert.deepEqual(doc, { format: 'rdf', title: 'T', link: 'https://e.example/', items: [{ url: 'https://e.example/a', title: 'A' }] });
  });

  it('RSS 2.0 in the UserLand namespace with a prefix (<r:rss>)', async () => {
    const doc = await parseDocument('<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2"><r:channel><r:title>T</r:title><r:item><r:title>A</r:title></r:item></r:channel></r:rss>');
    assert.deepEqual(doc, { format: 'rss', title: 'T', items: [{ title: 'A' }] });
  });
});

describe('parseFeedXml: Dublin Core terms, iTunes and XHTML bodies in RSS items', () => {
  const NS =
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"';
  const table: { name: string; item: string; want: Record<string, unknown> }[] = [
    { name: 'dc:description stands in for description', item: '<dc:description>d</dc:description>', want: { summary: 'd' } },
    { name: 'dcterms:issued and dcterms:modified are the dates', item: '<dcterms:issued>2003-12-31T10:14:55Z</dcterms:issued><dcterms:modified>2004-01-01T00:00:00Z</dcterms:modified>', want: { published: '2003-12-31T10:14:55Z', updated: '2004-01-01T00:00:00Z' } },
    { name: 'dc:author is an author', item: '<dc:author>Ann</dc:author>', want: { authors: ['Ann'] } },
    { name: 'itunes:author only without another author', item: '<itunes:author>Pod</itunes:author>', want: { authors: ['Pod'] } },
    { name: 'itunes:summary stands in for description', item: '<itunes:summary>s</itunes:summary>', want: { summary: 's' } },
    { name: 'nested itunes:category names both', item: '<itunes:category text="Technology"><itunes:category text="Gadgets"/></itunes:category>', want: { categories: ['Technology', 'Gadgets'] } },
    { name: 'an XHTML body is the content', item: '<body xmlns="http://www.w3.org/1999/xhtml"><p>Example <b>content</b></p></body>', want: { contentHtml: '<p>Example <b>content</b></p>' } },
    // RSS defines no <summary>, but feeds send one: alone it is the summary; beside a
    // <description>, the first of the two is the summary and the other the body.
    { name: 'a <summary> alone is the summary', item: '<summary>s</summary>', want: { summary: 's' } },
    { name: '<summary> then <description>: summary and body', item: '<summary>s</summary><description>d</description>', want: { summary: 's', contentHtml: 'd' } },
    { name: '<description> then <summary>: summary and body', item: '<description>d</description><summary>&lt;p&gt;s&lt;/p&gt;</summary>', want: { summary: 'd', contentHtml: '<p>s</p>' } },
    { name: 'content:encoded stays the body beside both', item: '<summary>s</summary><description>d</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">c</content:encoded>', want: { summary: 's', contentHtml: 'c' } },
    { name: 'an empty <description> gives way to the <summary>', item: '<description/><summary>s</summary>', want: { summary: 's' } },
    { name: 'a <fullitem> is the body', item: '<fullitem>&lt;p&gt;Example content&lt;/p&gt;</fullitem>', want: { contentHtml: '<p>Example content</p>' } },
  ];
  for (const t of table) {
    it(t.name, async () => {
      const doc = await parseFeedXml(`<rss version="2.0" ${NS}><channel><title>T</title><item><title>x</title>${t.item}</item></channel></rss>`, 'rss');
      assert.deepEqual(doc.items[0], { title: 'x', ...t.want });
    });
  }
});

describe('parseFeedXml: hostile input stays linear', () => {
  // Images were de-duplicated by scanning the list for each new one: 80,000 enclosures (4 MB) in
  // one item took 23 s. The bound is several times what it takes now (about 0.6 s).
  const enclosures = Array.from({ length: 80_000 }, (_, i) => `<enclosure url="https://x.example/${i}.jpg" type="image/jpeg"/>`).join('');
  const media = Array.from({ length: 80_000 }, (_, i) => `<media:content url="https://x.example/${i}.jpg" medium="image"/>`).join('');
  const table: [string, string][] = [
    ['80,000 image enclosures in one item', rss(`<item><title>a</title>${enclosures}<enclosure url="https://x.example/0.jpg" type="image/jpeg"/></item>`)],
    ['80,000 media:content images in one item', rss(`<item><title>a</title>${media}<media:content url="https://x.example/0.jpg" medium="image"/></item>`)],
  ];
  for (const [name, xml] of table) {
    it(`${name}: read within 5 s, each image once`, async () => {
      const started = Date.now();
      const doc = await parseFeedXml(xml, 'rss');
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5000, `parsed in ${elapsed} ms`);
      assert.equal(doc.items[0]?.images?.length, 80_000);
    });
  }
});

describe('parseFeedXml: Atom values of another MIME type are base64 (RFC 4287 §4.1.3.3)', () => {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  // The feed title, an entry title, summary and content, each of a non-text, non-XML type.
  const doc = (value: string) =>
    `<feed xmlns="http://www.w3.org/2005/Atom"><title type="application/octet-stream">\n  ${value}\n</title>` +
    `<entry><id>e1</id><title type="application/octet-stream">${value}</title><summary type="application/x-foo">\n${value}\n</summary>` +
    `<content type="application/octet-stream">${value}</content></entry></feed>`;
  const table: [string, string, string | undefined][] = [
    ['markup', b64('Example <b>Atom</b>'), 'Example <b>Atom</b>'],
    ['UTF-8 text with tab and line ends', b64('Café\tcrème\r\nbrûlée'), 'Café\tcrème\r\nbrûlée'],
    ['bytes that are not UTF-8: left out', Buffer.from([0xff, 0xfe, 0x41]).toString('base64'), undefined],
    ['UTF-8 with control characters (binary): left out', b64('PNG\u0000\u0001\u001a'), undefined],
    ['not base64 at all: left out', 'not base64 *', undefined],
  ];
  for (const [name, value, expected] of table) {
    it(name, async () => {
      const parsed = await parseFeedXml(doc(value), 'atom');
      const item = parsed.items[0];
      assert.equal(parsed.title, expected);
      assert.equal(item?.title, expected);
      assert.equal(item?.summary, expected);
      assert.equal(item?.contentHtml, expected);
      assert.equal(item?.guid, 'e1');
    });
  }

  it('text/* and XML types are not base64; Atom 0.3 decodes only with mode="base64"', async () => {
    const encoded = b64('hello');
    const parsed = await parseFeedXml(
      atom(`<entry><title type="text/plain">${encoded}</title><summary type="application/atom+xml">${encoded}</summary></entry>`),
      'atom',
    );
    assert.equal(parsed.items[0]?.title, encoded);
    assert.equal(parsed.items[0]?.summary, encoded);
    const old = await parseFeedXml(
      `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title type="application/octet-stream">${encoded}</title><entry><title type="text/plain" mode="base64">${encoded}</title></entry></feed>`,
      'atom',
    );
    assert.equal(old.title, encoded);
    assert.equal(old.items[0]?.title, 'hello');
  });
});

describe('parseFeedXml: pre-0.3 Atom drafts are read as Atom 0.3', () => {
  const table: [string, string][] = [
    ['Echo', 'http://purl.org/echo/'],
    ['Pie', 'http://purl.org/pie/'],
    ['Necho', 'http://example.com/necho'],
    ['the draft example namespace', 'http://example.com/newformat#'],
  ];
  for (const [name, ns] of table) {
    it(`${name} (${ns}), unprefixed and prefixed`, async () => {
      const body = (p: string) =>
        `<${p}title>Draft feed</${p}title><${p}link rel="alternate" type="text/html" href="https://draft.example/"/>` +
        `<${p}entry><${p}id>d1</${p}id><${p}title>One</${p}title><${p}issued>2003-08-01T10:00:00Z</${p}issued>` +
        `<${p}content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">Hi</div></${p}content></${p}entry>`;
      for (const xml of [`<feed version="0.3" xmlns="${ns}">${body('')}</feed>`, `<e:feed version="0.3" xmlns:e="${ns}">${body('e:')}</e:feed>`]) {
        const doc = await parseDocument(xml);
        assert.equal(doc.format, 'atom');
        assert.equal(doc.title, 'Draft feed');
        assert.equal(doc.link, 'https://draft.example/');
        assert.equal(doc.repaired, undefined);
        assert.deepEqual(
          { guid: doc.items[0]?.guid, title: doc.items[0]?.title, published: doc.items[0]?.published, contentHtml: doc.items[0]?.contentHtml },
          // Atom 0.3 mode="xml": the markup as written, its div included.
          { guid: 'd1', title: 'One', published: '2003-08-01T10:00:00Z', contentHtml: '<div>Hi</div>' },
        );
      }
    });
  }
});

describe('parseFeedXml: xml:base resolves relative links in the parse step', () => {
  it('Atom: links, ids, enclosures and the HTML of html/xhtml constructs, through the xml:base chain', async () => {
    const doc = await parseFeedXml(fixture('xml-base-atom.xml'), 'atom');
    // The title's own base overrides the feed's; the feed link resolves against the feed's.
    assert.equal(doc.title, 'World <a href="https://news.example/about/desk.html">desk</a>');
    assert.equal(doc.link, 'https://news.example/world/');
    const [first, second] = doc.items;
    // The entry's relative base (2024/05/) resolves against the feed's.
    assert.equal(first?.guid, 'https://news.example/world/2024/05/harbour-reopens');
    assert.equal(first?.url, 'https://news.example/world/2024/05/harbour.html');
    assert.deepEqual(first?.related, [{ title: 'Map', url: 'https://news.example/maps/harbour' }]);
    assert.deepEqual(first?.images, [{ url: 'https://news.example/world/2024/05/img/harbour.jpg', caption: null, credit: null }]);
    // A text construct is text: nothing in it is a link.
    assert.equal(first?.title, 'Harbour <a href="x.html">reopens</a>');
    assert.equal(
      first?.summary,
      'See <a href="https://news.example/world/2024/04/storm.html">the storm</a> and <a href="https://other.example/abs">elsewhere</a>.',
    );
    // xhtml: the content's base, then an xml:base inside the markup.
    assert.equal(
      first?.contentHtml,
      '<p><img src="https://cdn.example/story/photo.jpg" alt="Harbour"> <a href="https://cdn.example/story/#more">more</a></p>' +
        '<p xml:base="/press/"><a href="https://cdn.example/press/release.html">Release</a></p>',
    );
    assert.equal(second?.guid, 'tag:news.example,2024:2');
    assert.equal(second?.url, 'https://news.example/absolute');
    assert.equal(second?.title, 'Plain text keeps a href="as-is.html"');
    // Non-ASCII stays as written (an IRI), not percent-encoded.
    assert.equal(second?.contentHtml, '<a href="https://news.example/world/café.html">Café</a>');
  });

  it('RSS: xml:base on the root and on an element; a guid that is not a permalink stays as written', async () => {
    const doc = await parseFeedXml(fixture('xml-base-rss.xml'), 'rss');
    assert.equal(doc.link, 'https://courier.example/');
    const item = doc.items[0];
    assert.equal(item?.guid, 'ferry-1');
    assert.equal(item?.url, 'https://courier.example/news/ferry.html');
    assert.equal(item?.summary, '<a href="https://courier.example/news/timetable.html">Timetable</a>');
    assert.equal(item?.contentHtml, '<p><img src="https://img.courier.example/ferry.jpg"> <a href="https://other.example/x">x</a></p>');
    assert.deepEqual(item?.images, [{ url: 'https://courier.example/news/pics/ferry.jpg', caption: null, credit: null }]);
  });

  it('Atom 1.0 xhtml: the xml:base of the wrapping div applies to the value it wraps', async () => {
    const doc = await parseFeedXml(
      atom(
        '<entry><id>x</id><content type="xhtml" xml:base="https://a.example/c/"><div xmlns="http://www.w3.org/1999/xhtml" xml:base="d/"><a href="e.html">e</a></div></content></entry>',
        ' xml:base="https://a.example/"',
      ),
      'atom',
    );
    assert.equal(doc.items[0]?.contentHtml, '<a href="https://a.example/c/d/e.html">e</a>');
  });

  it('without xml:base, every value is as written, relative links included (normalization resolves them later)', async () => {
    const withoutBase = (name: string) => fixture(name).replace(/\sxml:base="[^"]*"/g, '');
    const atomDoc = await parseFeedXml(withoutBase('xml-base-atom.xml'), 'atom');
    assert.equal(atomDoc.title, 'World <a href="desk.html">desk</a>');
    assert.equal(atomDoc.link, './');
    assert.equal(atomDoc.items[0]?.guid, 'harbour-reopens');
    assert.equal(atomDoc.items[0]?.url, 'harbour.html');
    assert.equal(atomDoc.items[0]?.summary, 'See <a href="../../2024/04/storm.html">the storm</a> and <a href="https://other.example/abs">elsewhere</a>.');
    assert.equal(atomDoc.items[0]?.contentHtml, '<p><img src="photo.jpg" alt="Harbour"> <a href="#more">more</a></p><p><a href="release.html">Release</a></p>');
    assert.equal(atomDoc.items[0]?.images?.[0]?.url, 'img/harbour.jpg');
    const rssDoc = await parseFeedXml(withoutBase('xml-base-rss.xml'), 'rss');
    assert.equal(rssDoc.link, '/');
    assert.equal(rssDoc.items[0]?.url, 'ferry.html');
    assert.equal(rssDoc.items[0]?.contentHtml, '<p><img src="ferry.jpg"> <a href="//other.example/x">x</a></p>');
    assert.equal(rssDoc.items[0]?.images?.[0]?.url, 'pics/ferry.jpg');
  });
});
