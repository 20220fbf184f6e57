import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { articleToHtml, escapeHtml } from '../../server/interchange/html.js';
import { articleFrom, hostileText, live, seedText, withEveryState } from './fixtures.js';

const seed = withEveryState(articleFrom(seedText, 'baoan-smart-wearables-en'));
const hostile = withEveryState(articleFrom(hostileText, 'hostile'));

function unescape(html: string): string {
  return html.replace(/<br>\n/g, '\n').replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}

/** The blocks of the page body: tag and text as a reader sees it. */
function blocks(html: string) {
  return [...html.matchAll(/<(h1|h2|p) dir="auto">([\s\S]*?)<\/\1>/g)].map((m) => ({ tag: m[1]!, text: unescape(m[2]!) }));
}

describe('HTML export', () => {
  for (const article of [seed, hostile]) {
    it(`${article.id}: a standalone page with every live paragraph, headings as h1 then h2, text unchanged`, () => {
      const html = articleToHtml(article);
      expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('@media print');
      const got = blocks(html);
      const paragraphs = live(article);
      expect(got.map((b) => b.text)).toEqual(paragraphs.map((p) => p.text));
      expect(got.map((b) => b.tag === 'p')).toEqual(paragraphs.map((p) => p.kind === 'body'));
      expect(got.filter((b) => b.tag === 'h1')).toHaveLength(paragraphs.some((p) => p.kind === 'heading') ? 1 : 0);
    });
  }

  it('escapes everything: no markup from the text survives, entities written out stay written out', () => {
    const html = articleToHtml(hostile);
    // The only tags are the page's own.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z!][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'article', 'body', 'br', 'h1', 'head', 'html', 'meta', 'p', 'style', 'title'].sort());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<![CDATA[');
    expect(html).not.toContain('<!--');
    expect(html).toContain('Breaking &amp;amp; news &amp;lt;b&amp;gt;');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('<title>Breaking &amp;amp; news');
    // Right-to-left and invisible characters pass through as characters.
    expect(html).toContain('مرحبا بالعالم');
    expect(html).toContain('Zero\u200Bwidth');
  });

  it('is well-formed enough for an XML parser once the doctype is set aside', () => {
    const html = articleToHtml(hostile).replace(/^<!doctype html>/, '').replace(/<meta ([^>]*)>/g, '<meta $1/>').replace(/<br>/g, '<br/>');
    expect(() => new XMLParser().parse(html, true)).not.toThrow();
  });

  it('escapes the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('takes a language, refusing anything that is not a language tag', () => {
    expect(articleToHtml(seed, { lang: 'en-GB' })).toContain('<html lang="en-GB">');
    expect(articleToHtml(seed, { lang: '"><script>' })).toContain('<html lang="en">');
  });
});
