/**
 * The XSLT stylesheet RSS and Atom feeds point to (`<?xml-stylesheet?>`): a feed opened in a
 * browser shows as a readable page — its title, what a feed is and how to subscribe, the newest
 * stories with their time and summary — right-to-left where the feed's language is, and per story
 * where a story's language differs. Feed readers ignore it. XSLT 1.0, the version browsers run.
 * `xml:lang` is matched by local name: XPath binds the `xml` prefix, not every processor does.
 * No `>` in the CSS: an XSLT processor may escape it inside `<style>`.
 */

/** Where the stylesheet is served; the feeds name it with this path. */
export const FEED_STYLESHEET_PATH = '/feeds/feed.xsl';

/** The processing instruction a feed carries, right after its XML declaration. */
export const FEED_STYLESHEET_PI = `<?xml-stylesheet type="text/xsl" href="${FEED_STYLESHEET_PATH}"?>`;

/** Languages written right to left, as primary subtags. */
const RTL = ['ar', 'he', 'fa', 'ur', 'ps', 'ckb', 'yi', 'dv'];

const LOWER = "translate(., 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

/** XSLT writing `rtl` or `ltr` for the primary language subtag held in the variable `v`. */
function direction(v: string): string {
  return `<xsl:choose>
            <xsl:when test="${RTL.map((l) => `${v} = '${l}'`).join(' or ')}">rtl</xsl:when>
            <xsl:otherwise>ltr</xsl:otherwise>
          </xsl:choose>`;
}

const CSS = `
body{font:17px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Naskh Arabic",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#fff;border-bottom:1px solid #ddd;padding:1.2em 1em}
main,header div{max-width:46em;margin:0 auto}
h1{font-size:1.5em;margin:.2em 0}
.about{background:#eef4fb;border:1px solid #c9dcf0;border-radius:6px;padding:.7em 1em;font-size:.92em}
.about code{background:#fff;padding:.1em .3em;border-radius:3px;word-break:break-all}
article{background:#fff;border:1px solid #e3e3e3;border-radius:6px;margin:1em;padding:.8em 1em}
article h2{font-size:1.12em;margin:0 0 .3em}
article a{color:#0b57a4;text-decoration:none}
article a:hover{text-decoration:underline}
time{color:#666;font-size:.85em}
article .summary{margin:.4em 0 0}
`;

/** An RSS or Atom document naming the stylesheet: the instruction goes right after the XML declaration. */
export function withStylesheet(xml: string): string {
  const decl = /^<\?xml[^?]*\?>\n?/.exec(xml);
  if (!decl) return `${FEED_STYLESHEET_PI}\n${xml}`;
  return `${decl[0].trimEnd()}\n${FEED_STYLESHEET_PI}\n${xml.slice(decl[0].length)}`;
}

export function renderFeedStylesheet(): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" indent="no"/>

  <!-- The feed's language and its primary subtag, lower case. -->
  <xsl:variable name="lang" select="normalize-space(/rss/channel/language | /atom:feed/@*[local-name() = 'lang'])"/>
  <xsl:variable name="primary">
    <xsl:for-each select="/rss/channel/language | /atom:feed/@*[local-name() = 'lang']">
      <xsl:value-of select="substring-before(concat(${LOWER}, '-'), '-')"/>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="dir">${direction('$primary')}</xsl:variable>
  <xsl:variable name="title" select="normalize-space(/rss/channel/title | /atom:feed/atom:title)"/>
  <xsl:variable name="self" select="(/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href)[1]"/>

  <xsl:template match="/">
    <html lang="{$lang}" dir="{$dir}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>${CSS.trim()}</style>
      </head>
      <body>
        <header>
          <div>
            <h1><xsl:value-of select="$title"/></h1>
            <p><xsl:value-of select="normalize-space(/rss/channel/description | /atom:feed/atom:subtitle)"/></p>
            <p class="about" dir="{$dir}">
              <xsl:choose>
                <xsl:when test="$primary = 'ar'">هذه صفحة خلاصة أخبار (RSS/Atom). للاشتراك، انسخ عنوانها في قارئ الخلاصات لديك: </xsl:when>
                <xsl:when test="$primary = 'fr'">Ceci est un flux d’actualités (RSS/Atom). Pour vous abonner, copiez son adresse dans votre lecteur de flux : </xsl:when>
                <xsl:otherwise>This is a news feed (RSS/Atom). To subscribe, copy its address into your feed reader: </xsl:otherwise>
              </xsl:choose>
              <code dir="ltr"><xsl:value-of select="$self"/></code>
            </p>
          </div>
        </header>
        <main>
          <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item | atom:entry">
    <!-- A story in another language than the feed's carries its own (dc:language, xml:lang). -->
    <xsl:variable name="itemPrimary">
      <xsl:for-each select="(dc:language | @*[local-name() = 'lang'])[1]">
        <xsl:value-of select="substring-before(concat(${LOWER}, '-'), '-')"/>
      </xsl:for-each>
    </xsl:variable>
    <article>
      <xsl:if test="string($itemPrimary) != ''">
        <xsl:attribute name="lang"><xsl:value-of select="(dc:language | @*[local-name() = 'lang'])[1]"/></xsl:attribute>
        <xsl:attribute name="dir">${direction('$itemPrimary')}</xsl:attribute>
      </xsl:if>
      <h2>
        <a href="{(link[not(*)] | atom:link[@rel='alternate' or not(@rel)]/@href)[1]}">
          <xsl:value-of select="normalize-space(title | atom:title)"/>
        </a>
      </h2>
      <time><xsl:value-of select="(pubDate | atom:published | atom:updated)[1]"/></time>
      <!-- The summary is HTML the feed escaped (Wirefeed's own, sanitized: a right-to-left
           wrapper at most); written out as markup where the browser's XSLT can, as text elsewhere. -->
      <div class="summary"><xsl:value-of select="(description | atom:summary)[1]" disable-output-escaping="yes"/></div>
    </article>
  </xsl:template>
</xsl:stylesheet>
`;
}
