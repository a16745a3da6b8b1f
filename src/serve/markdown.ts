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

const usedIds = new Map<string, number>();

/** Set for one markdownToHtml call: the link of a cited `file:line` code span, or null. */
let citeLink: ((text: string) => string | null) | null = null;

/** A table cell that holds a number (counts, sizes, shares, durations), right-aligned to compare. */
const NUMERIC_CELL =
  /^[-+−]?[\d.,  ]*\d[\d.,  ]*(?:\s?(?:%|×|s|ms|min|h|d|bytes|KiB|MiB|GiB|B))?(?:\s*\([^)]*\))?$/;

/**
 * GitHub's heading ids (lower case, punctuation dropped, spaces to hyphens, -1, -2… for repeats), so
 * the PIR's own links such as `[Technical details](#technical-details)` work on the page as on GitHub.
 */
function headingId(renderedText: string): string {
  const text = renderedText
    .replace(/<[^>]*>/g, '')
    .replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
    );
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
  const seen = usedIds.get(base) ?? 0;
  usedIds.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen}`;
}

/**
 * PIR Markdown → HTML for the web UI. The PIR quotes log lines and object names from the evidence,
 * so raw HTML in the Markdown is shown as text, never interpreted, and link targets are filtered.
 */
const markdown = new Marked({ gfm: true, async: false });
markdown.use({
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      // The PIR templates mark link targets with `<a id="…"></a>` (inline, so it arrives as two tags):
      // an id-only anchor is inert, so that exact shape is the only raw HTML kept.
      const anchor = /^<a id="([A-Za-z0-9_-]{1,80})">(<\/a>)?\s*$/.exec(text);
      if (anchor) return `<a id="${anchor[1]}">${anchor[2] ?? ''}`;
      if (text === '</a>') return text;
      return escapeHtml(text);
    },
    heading({ tokens, depth }: Tokens.Heading): string {
      const inner = this.parser.parseInline(tokens);
      return `<h${depth} id="${escapeHtml(headingId(inner))}">${inner}</h${depth}>\n`;
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const target = safeHref(href);
      if (target === null) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(target)}"${titleAttr}>${inner}</a>`;
    },
    code({ text, lang }: Tokens.Code): string | false {
      // No Mermaid runtime ships with the page (offline, no CDN): keep the source, folded away;
      // GitHub and MkDocs draw it from the downloaded pir.md, and the SVG charts show the same data.
      if (lang !== 'mermaid') return false;
      return `<details class="mermaid-source"><summary>Mermaid source (drawn by GitHub and MkDocs)</summary><pre><code>${escapeHtml(text)}</code></pre></details>\n`;
    },
    codespan({ text }: Tokens.Codespan): string {
      const href = citeLink?.(text) ?? null;
      const code = `<code>${escapeHtml(text)}</code>`;
      return href === null ? code : `<a class="cite" href="${escapeHtml(href)}">${code}</a>`;
    },
    tablecell(token: Tokens.TableCell): string {
      const inner = this.parser.parseInline(token.tokens);
      const tag = token.header ? 'th' : 'td';
      const plain = inner.replace(/<[^>]*>/g, '').trim();
      const classes = !token.header && NUMERIC_CELL.test(plain) ? ' class="num"' : '';
      const align = token.align ? ` align="${token.align}"` : '';
      return `<${tag}${align}${classes}>${inner}</${tag}>\n`;
    },
    image({ href, title, text }: Tokens.Image): string {
      const source = safeImageSource(href);
      if (source === null) return escapeHtml(text);
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<img src="${escapeHtml(source)}" alt="${escapeHtml(text)}"${titleAttr}>`;
    },
  },
});

/**
 * `cite` turns a code span such as `kubectl/nodes.json:56` into a link to that evidence (see
 * src/serve/citations.ts); without it code spans stay plain.
 */
export function markdownToHtml(source: string, cite?: (text: string) => string | null): string {
  usedIds.clear();
  citeLink = cite ?? null;
  try {
    return markdown.parse(source, { async: false });
  } finally {
    citeLink = null;
  }
}
