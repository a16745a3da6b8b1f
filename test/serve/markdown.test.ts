import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../src/serve/markdown.js';

describe('markdownToHtml', () => {
  it('renders GitHub-style tables and code', () => {
    const out = markdownToHtml('| a | b |\n|---|---|\n| `x` | 2 |\n');
    expect(out).toContain('<table>');
    expect(out).toContain('<td><code>x</code></td>');
  });

  it('shows raw HTML from the evidence as text', () => {
    const out = markdownToHtml('Log line: <script>alert(1)</script>\n\n<iframe src="http://x"></iframe>\n');
    expect(out).not.toMatch(/<script|<iframe/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;iframe src=&quot;http://x&quot;&gt;&lt;/iframe&gt;');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](vbscript:msgbox)',
    '[x](//evil.example/)',
  ])('drops the unsafe link in %s and keeps its text', (source) => {
    const out = markdownToHtml(source);
    expect(out).not.toContain('href');
    expect(out).toContain('x');
  });

  it('keeps http, https, mailto, anchors and relative links', () => {
    const out = markdownToHtml(
      '[a](https://kubernetes.io/) [b](#findings) [c](charts/restarts.svg) [d](mailto:sre@example.org)',
    );
    expect(out).toContain('href="https://kubernetes.io/"');
    expect(out).toContain('href="#findings"');
    expect(out).toContain('href="charts/restarts.svg"');
    expect(out).toContain('href="mailto:sre@example.org"');
  });

  it('loads images only from this server', () => {
    expect(markdownToHtml('![timeline](charts/snapshot-timeline.svg)')).toContain(
      '<img src="charts/snapshot-timeline.svg" alt="timeline">',
    );
    const remote = markdownToHtml('![tracker](https://tracker.example/pixel.gif)');
    expect(remote).not.toContain('<img');
    expect(remote).toContain('tracker');
  });

  it('gives headings GitHub-style ids, numbering repeats, so in-page links work', () => {
    const out = markdownToHtml('## Technical details\n\n### How did `kine` grow?\n\n## Technical details\n');
    expect(out).toContain('<h2 id="technical-details">Technical details</h2>');
    expect(out).toContain('<h3 id="how-did-kine-grow">How did <code>kine</code> grow?</h3>');
    expect(out).toContain('<h2 id="technical-details-1">Technical details</h2>');
    // Ids restart with each document.
    expect(markdownToHtml('## Technical details\n')).toContain('id="technical-details"');
  });

  it("keeps the templates' bare `<a id>` anchors and nothing else of raw HTML", () => {
    expect(markdownToHtml('<a id="ipam-gc-disabled"></a>\n\n### IPAM\n')).toContain(
      '<a id="ipam-gc-disabled"></a>',
    );
    const hostile = markdownToHtml(
      '<a id="x" onclick="alert(1)"></a>\n\n<a id="x"><img src=x onerror=alert(1)></a>\n',
    );
    expect(hostile).toBe(
      '<p>&lt;a id=&quot;x&quot; onclick=&quot;alert(1)&quot;&gt;</a></p>\n' +
        '<p><a id="x">&lt;img src=x onerror=alert(1)&gt;</a></p>\n',
    );
  });

  it('folds Mermaid source away (no Mermaid runtime offline) and escapes it', () => {
    const out = markdownToHtml('```mermaid\ngantt\n  title <b>x</b>\n```\n');
    expect(out).toBe(
      '<details class="mermaid-source"><summary>Mermaid source (drawn by GitHub and MkDocs)</summary>' +
        '<pre><code>gantt\n  title &lt;b&gt;x&lt;/b&gt;</code></pre></details>\n',
    );
  });

  it('escapes quotes in link titles and image alt text', () => {
    const out = markdownToHtml('![a" onerror="x](charts/a.svg "t\\" onload=\\"y")');
    expect(out).toBe(
      '<p><img src="charts/a.svg" alt="a&quot; onerror=&quot;x" title="t&quot; onload=&quot;y"></p>\n',
    );
  });
});
