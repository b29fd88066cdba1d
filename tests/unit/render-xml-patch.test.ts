import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { patchStartTags } from '../../src/render/xml-patch.ts';
import type { TagPatch } from '../../src/render/xml-patch.ts';

const DOC = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<feed xmlns="http://www.w3.org/2005/Atom">',
  '    <!-- <entry> in a comment -->',
  '    <entry>',
  '        <link/>',
  "        <content type='html'><![CDATA[<entry><link/></entry>]]></content>",
  '    </entry>',
  '</feed>',
].join('\n');

describe('patchStartTags', () => {
  it('offers only real start tags, with their ancestors and attributes', () => {
    const seen: string[] = [];
    const out = patchStartTags(DOC, (tag) => {
      seen.push(`${[...tag.parents, tag.name].join('/')} ${JSON.stringify([...tag.attributes])} ${tag.selfClosing}`);
      return undefined;
    });
    assert.equal(out, DOC);
    assert.deepEqual(seen, [
      'feed [["xmlns","http://www.w3.org/2005/Atom"]] false',
      'feed/entry [] false',
      'feed/entry/link [] true',
      'feed/entry/content [["type","html"]] false',
    ]);
  });

  it('sets, replaces and removes attributes, escaping new values and keeping their places', () => {
    const out = patchStartTags(DOC, (tag): TagPatch | undefined => {
      if (tag.name === 'entry') return { set: { 'xml:lang': 'a"<&' } };
      if (tag.name === 'content') return { set: { type: 'text', mode: null } };
      if (tag.name === 'feed') return { set: { xmlns: null } };
      return undefined;
    });
    assert.ok(out.includes('\n<feed>\n'));
    assert.ok(out.includes('<entry xml:lang="a&quot;&lt;&amp;">'));
    assert.ok(out.includes('<content type="text"><![CDATA[<entry><link/></entry>]]></content>'));
  });

  it('removes elements with their indentation, leaving look-alikes in CDATA alone', () => {
    const out = patchStartTags(DOC, (tag) => (tag.name === 'link' || tag.name === 'content' ? { remove: true } : undefined));
    assert.equal(
      out,
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        '    <!-- <entry> in a comment -->',
        '    <entry>',
        '    </entry>',
        '</feed>',
      ].join('\n'),
    );
  });

  it('refuses markup it cannot tokenize', () => {
    assert.throws(() => patchStartTags('<a><![CDATA[x</a>', () => undefined), SyntaxError);
    assert.throws(() => patchStartTags('<a b="1" <c>', () => undefined), SyntaxError);
  });
});
