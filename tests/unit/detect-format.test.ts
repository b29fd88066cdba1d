import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { detectFormat } from '../../src/formats/detect-format.ts';
import { WireError } from '../../src/model/wire-error.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

function rejects(body: string, code: string, message: RegExp, contentType?: string) {
  assert.throws(
    () => detectFormat(body, contentType),
    (err: unknown) => err instanceof WireError && err.code === code && message.test(err.message),
  );
}

describe('detectFormat', () => {
  it('recognises the fixtures', () => {
    assert.equal(detectFormat(fixture('rss-en.xml')), 'rss');
    assert.equal(detectFormat(fixture('atom-fr.xml')), 'atom');
    assert.equal(detectFormat(fixture('json-feed-1.1.json')), 'json-feed');
  });

  it('skips a BOM, whitespace, the XML declaration, PIs, comments and a doctype', () => {
    const body =
      '\uFEFF \n<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl" type="text/xsl"?>\n<!-- a <feed> in a comment -->\n' +
      '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel/></rss>';
    assert.equal(detectFormat(body), 'rss');
  });

  it('reads a feed root after an HTML doctype (a template left it there), and junk before <?xml', () => {
    assert.equal(detectFormat('<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x">\n<rss><channel/></rss>'), 'rss');
    assert.equal(detectFormat('Warning: headers already sent on line 3\n<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>'), 'atom');
  });

  it('skips a doctype with an internal subset containing ">"', () => {
    assert.equal(detectFormat('<!DOCTYPE rss [ <!ENTITY gt2 ">"> ]><rss version="2.0"/>'), 'rss');
  });

  it('recognises Atom 1.0 and 0.3 by namespace, and a namespace-less feed', () => {
    assert.equal(detectFormat('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'), 'atom');
    assert.equal(detectFormat("<feed version='0.3' xmlns='http://purl.org/atom/ns#'/>"), 'atom');
    assert.equal(detectFormat('<feed><title>t</title></feed>'), 'atom');
  });

  it('reads a <feed> in a pre-0.3 Atom draft namespace (Echo, Pie, Necho) as Atom', () => {
    for (const ns of ['http://purl.org/echo/', 'http://purl.org/pie/', 'http://example.com/necho', 'http://example.com/newformat#']) {
      assert.equal(detectFormat(`<feed version="0.3" xmlns="${ns}"><title>t</title></feed>`), 'atom', ns);
    }
  });

  it('recognises a CDF <CHANNEL> root, in any case', () => {
    assert.equal(detectFormat('<?xml version="1.0"?><CHANNEL HREF="http://x.example/"><TITLE>t</TITLE></CHANNEL>'), 'cdf');
    assert.equal(detectFormat('<channel href="http://x.example/"><item href="a"/></channel>'), 'cdf');
  });

  it('refuses a <feed> root in another namespace, naming it', () => {
    rejects('<feed xmlns="urn:example:other"/>', 'NOT_A_FEED', /<feed>.*urn:example:other/);
  });

  it('recognises RSS 1.0 (rdf:RDF)', () => {
    assert.equal(
      detectFormat('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"/>'),
      'rdf',
    );
  });

  it('recognises JSON Feed 1.0 and 1.1 by version', () => {
    assert.equal(detectFormat('{"version":"https://jsonfeed.org/version/1","items":[]}'), 'json-feed');
    assert.equal(detectFormat('  {"items":[], "version":"https://jsonfeed.org/version/1.1"}'), 'json-feed');
  });

  it('accepts JSON labelled application/feed+json with items but no version', () => {
    assert.equal(detectFormat('{"title":"x","items":[]}', 'application/feed+json'), 'json-feed');
  });

  it('refuses other JSON', () => {
    rejects('{"data":[1,2,3]}', 'NOT_A_FEED', /JSON/);
    rejects('[{"title":"x"}]', 'NOT_A_FEED', /JSON/, 'application/json');
  });

  it('sends broken JSON that claims to be a JSON Feed to the JSON Feed parser', () => {
    assert.equal(detectFormat('{"version":"https://jsonfeed.org/version/1.1","items":['), 'json-feed');
    assert.equal(detectFormat('{"items": [', 'application/json'), 'json-feed');
  });

  it('refuses an HTML page', () => {
    rejects('<!DOCTYPE html>\n<html><head><title>Home</title></head></html>', 'NOT_A_FEED', /HTML page/);
    rejects('<!-- banner -->\n<html lang="en"><body>hi</body></html>', 'NOT_A_FEED', /HTML page/);
    rejects(
      '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml"/>',
      'NOT_A_FEED',
      /HTML page/,
    );
    rejects('<HTML><BODY>old school</BODY></HTML>', 'NOT_A_FEED', /HTML page/);
  });

  it('refuses other XML roots, naming the root element', () => {
    rejects('<?xml version="1.0"?><opml version="2.0"><body/></opml>', 'NOT_A_FEED', /<opml>/);
    rejects('<?xml version="1.0"?><catalog><book/></catalog>', 'NOT_A_FEED', /<catalog>/);
  });

  it('recognises the agency wire formats by content', () => {
    const fixture = (name: string) => readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
    assert.equal(detectFormat('<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"/>'), 'newsml-g2');
    assert.equal(detectFormat(fixture('newsml-g2-ar-cairo.xml')), 'newsml-g2');
    assert.equal(detectFormat(fixture('nitf-en-harbour.xml')), 'nitf');
    assert.equal(detectFormat(fixture('newsml-1-fr-lyon.xml')), 'newsml-1.2');
    assert.equal(detectFormat(fixture('ninjs-ar-2x.json')), 'ninjs');
    assert.equal(detectFormat(fixture('iptc7901-fr.txt')), 'iptc7901');
    assert.equal(detectFormat(fixture('anpa-writethru.tst')), 'anpa1312');
    // A JSON Feed stays a JSON Feed even though ninjs is JSON too.
    assert.equal(detectFormat('{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[]}'), 'json-feed');
  });

  it('says plain text for text that is neither XML nor JSON', () => {
    assert.equal(detectFormat('CAIRO, March 12 (Wire) - Officials said on Tuesday...'), 'plain-text');
    assert.equal(detectFormat('[URGENT] Earthquake reported off the coast'), 'plain-text');
    assert.equal(detectFormat('<<< FLASH >>> markets close higher'), 'plain-text');
    assert.equal(detectFormat('{not json} just text', 'text/plain'), 'plain-text');
  });

  it('refuses text served as text/html', () => {
    rejects('Service temporarily unavailable', 'NOT_A_FEED', /HTML/, 'text/html; charset=utf-8');
  });

  it('throws EMPTY_DOCUMENT for empty or whitespace-only bodies', () => {
    rejects('', 'EMPTY_DOCUMENT', /empty/);
    rejects(' \n\t\r\n ', 'EMPTY_DOCUMENT', /empty/);
    rejects('\uFEFF', 'EMPTY_DOCUMENT', /empty/);
  });

  it('throws EMPTY_DOCUMENT for an XML prolog without a root element', () => {
    rejects('<?xml version="1.0" encoding="utf-8"?>\n<!-- nothing -->\n', 'EMPTY_DOCUMENT', /no root element/);
  });
});
