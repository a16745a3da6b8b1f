import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './html.js';

/**
 * Only links that stay on this page or this server, or that a reader opens deliberately (http, https,
 * mailto). Anything else — `javascript:`, `data:`, `vbscript:`, protocol-relative `//host` — is dropped,
 * whatever case or whitespace tricks it uses, because the browser would ignore them before the scheme.
 */
function safeHref(href: string): string | null {
  const compact = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (compact.startsWith('//') || compact.startsWith('\\')) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  if (!scheme) return href;
  return ['http', 'https', 'mailto'].includes(scheme[1]!.toLowerCase()) ? href : null;
}

/** Images load only from this server (relative paths): the page is offline and its CSP says 'self'. */
function safeImageSource(href: string): string | null {
  const compact = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return /^[a-z][a-z0-9+.-]*:/i.test(compact) || compact.startsWith('//') || compact.startsWith('\\')
    ? null
    : href;
}

/**
 * PIR Markdown → HTML for the web UI. The PIR quotes log lines and object names from the evidence,
 * so raw HTML in the Markdown is shown as text, never interpreted, and link targets are filtered.
 */
const markdown = new Marked({ gfm: true, async: false });
markdown.use({
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const target = safeHref(href);
      if (target === null) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(target)}"${titleAttr}>${inner}</a>`;
    },
    image({ href, title, text }: Tokens.Image): string {
      const source = safeImageSource(href);
      if (source === null) return escapeHtml(text);
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<img src="${escapeHtml(source)}" alt="${escapeHtml(text)}"${titleAttr}>`;
    },
  },
});

export function markdownToHtml(source: string): string {
  return markdown.parse(source, { async: false });
}
