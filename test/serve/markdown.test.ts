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

  it('escapes quotes in link titles and image alt text', () => {
    const out = markdownToHtml('![a" onerror="x](charts/a.svg "t\\" onload=\\"y")');
    expect(out).toBe(
      '<p><img src="charts/a.svg" alt="a&quot; onerror=&quot;x" title="t&quot; onload=&quot;y"></p>\n',
    );
  });
});
