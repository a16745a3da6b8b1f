import type { AnalysisResult, EvidenceRef, Finding, ManifestEntry } from '../types/index.js';
import { html, trusted, type TrustedHtml } from './html.js';
import { markdownToHtml } from './markdown.js';
import { renderSnapshotDiffMarkdown } from '../render/snapshot-diff.js';
import type { CaseView } from './workspace.js';
import type { CitationIndex } from './citations.js';
import { EXCERPT_CONTEXT } from '../bundle/excerpt.js';
import { describeBytes } from './upload.js';
import { describeSetAside } from '../store/set-aside.js';

function where(ref: EvidenceRef): string {
  if (ref.line !== undefined) return `${ref.file}:${ref.line}`;
  return ref.object ? `${ref.file} (${ref.object})` : ref.file;
}

function percent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)} %`;
}

/** A table with column headers; `rows` is markup built with `html`, one `<tr>` each. */
function table(className: string, headers: string[], rows: TrustedHtml[], caption?: string): TrustedHtml {
  return html`<table class="${className}">
    ${
      caption
        ? html`<caption>
            ${caption}
          </caption>`
        : ''
    }
    <thead>
      <tr>
        ${headers.map((header) => html`<th scope="col">${header}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** The line under the form after an upload: the page is reached at `/?upload=<id>` once it is accepted. */
function acceptedMessage(view: CaseView, justUploaded: string | null): TrustedHtml {
  const receipt = view.uploads.find((u) => u.id === justUploaded);
  if (!receipt) return html``;
  const analysed =
    view.analysisError === null ? 'its analysis is below' : 'but the analysis failed (see PIR draft)';
  return html`Upload <code>${receipt.id}</code> accepted: ${receipt.files.length} file(s),
    ${describeBytes(receipt.totalBytes)}, hashed on arrival; ${analysed}.`;
}

function uploadsSection(
  view: CaseView,
  limits: { maxBytes: number },
  justUploaded: string | null,
): TrustedHtml {
  return html`<section id="upload" aria-labelledby="upload-heading">
    <h2 id="upload-heading">Upload evidence</h2>
    <form id="upload-form" action="/api/uploads" method="post" enctype="multipart/form-data">
      <p>
        A bundle as one <code>.tar.gz</code> / <code>.tar</code> (a <code>microk8s inspect</code> tarball
        too), or several files at once. Files are stored next to the case, hashed on arrival and never
        overwritten; nothing leaves this machine.
      </p>
      <div class="pickers">
        <label>Archive or files <input type="file" name="evidence" id="upload-files" multiple /></label>
        <label>or a folder <input type="file" name="folder" id="upload-folder" webkitdirectory /></label>
      </div>
      <button type="submit" id="upload-button">Upload and analyze</button>
      <span class="limit" data-max-bytes="${limits.maxBytes}"
        >Limit ${describeBytes(limits.maxBytes)} per upload.</span
      >
      <progress id="upload-progress" max="1" value="0" hidden></progress>
      <p id="upload-status" role="status" aria-live="polite" class="${justUploaded ? 'ok' : ''}">
        ${acceptedMessage(view, justUploaded)}
      </p>
    </form>
    ${
      view.uploads.length === 0
        ? html`<p class="muted">No uploads yet.</p>`
        : table(
            'uploads',
            ['Upload', 'Received (UTC)', 'Files', 'Size', 'sha256 on arrival', ''],
            view.uploads.map(
              (u) =>
                html`<tr>
                  <td><code>${u.id}</code></td>
                  <td>${u.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, '')}</td>
                  <td>${u.files.length === 1 ? u.files[0]!.path : `${u.files.length} files`}</td>
                  <td class="num">${describeBytes(u.totalBytes)}</td>
                  <td>
                    ${
                      u.files.length === 1
                        ? html`<code class="hash">${u.files[0]!.sha256}</code>`
                        : html`<details>
                            <summary>${u.files.length} hashes</summary>
                            <ul>
                              ${u.files.map((f) => html`<li><code>${f.path}</code> <code class="hash">${f.sha256}</code></li>`)}
                            </ul>
                          </details>`
                    }
                  </td>
                  <td>
                    <form class="remove-upload" method="post" action="/api/uploads/${u.id}/delete">
                      <button type="submit" data-upload="${u.id}">Remove</button>
                    </form>
                  </td>
                </tr>`,
            ),
            "Uploads (stored in the case's evidence folder)",
          )
    }
  </section>`;
}

function evidenceSection(view: CaseView): TrustedHtml {
  const byBundle = new Map<string, ManifestEntry[]>();
  for (const entry of view.data.manifest) {
    const list = byBundle.get(entry.bundle) ?? [];
    list.push(entry);
    byBundle.set(entry.bundle, list);
  }
  return html`<section id="custody" aria-labelledby="custody-heading">
    <h2 id="custody-heading">Evidence in the case</h2>
    <p class="muted">The custody manifest: every file of every bundle with the sha256 ingest computed.</p>
    ${
      byBundle.size === 0
        ? html`<p class="muted">The case holds no evidence yet.</p>`
        : [...byBundle.entries()].map(
            ([bundle, entries]) =>
              html`<details class="bundle">
                <summary><code>${bundle}</code> — ${entries.length} files</summary>
                ${table(
                  'manifest',
                  ['File', 'Type', 'Size', 'sha256'],
                  entries.map(
                    (e) =>
                      html`<tr class="${e.error ? 'problem' : ''}">
                        <td>
                          <code>${e.path}</code>${e.error ? html`<div class="error">${e.error}</div>` : ''}
                        </td>
                        <td>${e.type}</td>
                        <td class="num">${describeBytes(e.size)}</td>
                        <td><code class="hash">${e.sha256}</code></td>
                      </tr>`,
                  ),
                )}
              </details>`,
          )
    }
    ${
      (view.data.setAside ?? []).length > 0
        ? html`<h3 id="set-aside">Set aside: the same evidence given twice</h3>
            <ul class="set-aside">
              ${describeSetAside(view.data.setAside ?? []).map((line) => html`<li>${line}</li>`)}
            </ul>`
        : ''
    }
    ${
      view.data.problems.length > 0
        ? html`<h3>Problems met during ingest</h3>
            <ul class="problems">
              ${view.data.problems.map((p) => html`<li><code>${p.file}</code>: ${p.problem}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}

function chartsSection(view: CaseView): TrustedHtml {
  return html`<section id="pictures" aria-labelledby="pictures-heading">
    <h2 id="pictures-heading">Pictures</h2>
    ${view.charts.map(
      (chart) =>
        html`<figure class="chart" id="chart-${chart.name}">
          ${trusted(chart.svg)}
          <figcaption><a href="/charts/${chart.file}" download>${chart.file}</a></figcaption>
        </figure>`,
    )}
  </section>`;
}

/** A citation as a link to its excerpt when there is one, else as plain code. */
function citation(ref: EvidenceRef, citations: CitationIndex): TrustedHtml {
  const href = ref.line !== undefined ? citations.link(ref.file, ref.line) : null;
  return href === null
    ? html`<code>${where(ref)}</code>`
    : html`<a class="cite" href="${href}"><code>${where(ref)}</code></a>`;
}

function findingRow(finding: Finding, citations: CitationIndex): TrustedHtml {
  const shown = finding.evidence.slice(0, 5);
  return html`<tr class="${finding.status === 'failed' ? 'problem' : ''}">
    <td>
      <strong>${finding.title}</strong>
      <div class="muted"><code>${finding.id}</code></div>
    </td>
    <td>${finding.claim}</td>
    <td>${finding.status === 'failed' ? 'detector failed' : finding.confidence}</td>
    <td>
      <ul class="refs">
        ${shown.map((ref) => html`<li>${citation(ref, citations)}</li>`)}
      </ul>
      ${
        finding.evidence.length > shown.length
          ? html`<span class="muted">and ${finding.evidence.length - shown.length} more</span>`
          : ''
      }
    </td>
  </tr>`;
}

function findingsSection(analysis: AnalysisResult, citations: CitationIndex): TrustedHtml {
  return html`<section id="all-findings" aria-labelledby="all-findings-heading">
    <h2 id="all-findings-heading">Findings</h2>
    ${
      analysis.findings.length === 0
        ? html`<p class="muted">No detector found anything in this evidence.</p>`
        : table(
            'findings',
            ['Finding', 'Claim', 'Confidence', 'Evidence'],
            analysis.findings.map((finding) => findingRow(finding, citations)),
          )
    }
  </section>`;
}

function correlationSection(analysis: AnalysisResult): TrustedHtml {
  const c = analysis.correlation;
  return html`<section id="lease-vs-snapshot" aria-labelledby="lease-vs-snapshot-heading">
    <h2 id="lease-vs-snapshot-heading">Lease failures vs snapshot writes</h2>
    <dl class="figures">
      <dt>Failures within ${c.windowSeconds} s after a snapshot write</dt>
      <dd>${c.withinWindow} of ${c.failuresInSpan} (${percent(c.observedShare)})</dd>
      <dt>Expected if failures ignored snapshots</dt>
      <dd>${percent(c.expectedShare)}</dd>
      <dt>Lift</dt>
      <dd>${c.lift === null ? '—' : `${c.lift.toFixed(2)}×`}</dd>
      <dt>Permutation p-value</dt>
      <dd>
        ${c.pValue === null ? '—' : c.pValue.toPrecision(3)} (${c.permutations} circular shifts, seed
        ${c.seed})
      </dd>
      <dt>Snapshot times placed by</dt>
      <dd>${c.wallClockAnchor}</dd>
    </dl>
    ${
      c.perSubject.length > 0
        ? table(
            'per-subject',
            ['Lease', 'Failures', 'Within window', 'Median lag'],
            c.perSubject.map(
              (g) =>
                html`<tr>
                  <td><code>${g.subject}</code></td>
                  <td class="num">${g.failures}</td>
                  <td class="num">${g.withinWindow} (${percent(g.share)})</td>
                  <td class="num">
                    ${g.medianLagSeconds === null ? '—' : `${g.medianLagSeconds.toFixed(1)} s`}
                  </td>
                </tr>`,
            ),
          )
        : ''
    }
    ${
      c.notes.length > 0
        ? html`<ul class="notes">
            ${c.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : ''
    }
  </section>`;
}

function snapshotDiffSection(analysis: AnalysisResult): TrustedHtml {
  return html`<section id="before-after" aria-labelledby="before-after-heading">
    <h2 id="before-after-heading">Snapshots before and after</h2>
    ${
      analysis.snapshotDiff === null
        ? html`<p class="muted">The evidence holds fewer than two snapshot copies to compare.</p>`
        : html`<p>
              <code>${analysis.snapshotDiff.before.file}</code> →
              <code>${analysis.snapshotDiff.after.file}</code>
            </p>
            <div class="markdown">
              ${trusted(markdownToHtml(renderSnapshotDiffMarkdown(analysis.snapshotDiff)))}
            </div>`
    }
  </section>`;
}

/**
 * In a self-contained report the PIR's `charts/<name>.svg` images become data: URIs of the same
 * SVG, so the file shows its pictures with nothing beside it and makes no request.
 */
function inlineCharts(rendered: string, view: CaseView, inline: boolean): string {
  if (!inline) return rendered;
  return rendered.replace(/<img src="charts\/([a-z0-9-]+)\.svg"/g, (whole, name: string) => {
    const chart = view.charts.find((c) => c.name === name);
    return chart
      ? `<img src="data:image/svg+xml;base64,${Buffer.from(chart.svg).toString('base64')}"`
      : whole;
  });
}

/**
 * One overlay per cited line, shown by CSS when its id is the URL's fragment (`:target`), so a click
 * on `file:line` opens the excerpt with or without JavaScript, on the page and in a saved report.
 */
function excerptsSection(citations: CitationIndex): TrustedHtml {
  if (citations.all.length === 0) return html``;
  return html`<section id="excerpts" aria-label="Cited evidence">
    ${citations.all.map(({ id, file, line, excerpt }) => {
      const numbers = [...excerpt.text.keys()].filter((n) => Math.abs(n - line) <= EXCERPT_CONTEXT);
      const state =
        excerpt.unchanged === true
          ? html`<span class="ok">unchanged since ingest</span>`
          : excerpt.unchanged === false
            ? html`<span class="error">CHANGED since ingest: the lines below are the file as it is now</span>`
            : html`<span class="error">not readable: ${excerpt.problem ?? 'unknown'}</span>`;
      return html`<div class="excerpt" id="${id}" role="dialog" aria-label="${file}:${line}">
        <div class="excerpt-head">
          <strong><code>${file}</code> line ${line}</strong>
          <a class="close" href="#_" aria-label="Close">Close</a>
          <div class="muted">sha256 <code class="hash">${excerpt.sha256}</code> · ${state}</div>
        </div>
        <pre class="lines">
${numbers.map(
            (n) =>
              html`<span class="${n === line ? 'line cited' : 'line'}"
                ><span class="ln">${n}</span>${excerpt.text.get(n) ?? ''}</span
              >`,
          )}</pre>
      </div>`;
    })}
  </section>`;
}

function pirSection(view: CaseView, inline = false): TrustedHtml {
  if (view.analysisError !== null) {
    return html`<section id="pir" aria-labelledby="pir-heading">
      <h2 id="pir-heading">PIR draft</h2>
      <p class="error" role="alert">The analysis failed: ${view.analysisError}</p>
    </section>`;
  }
  if (view.markdown === null) return html``;
  return html`<section id="pir" aria-labelledby="pir-heading">
    <div class="section-head">
      <h2 id="pir-heading">PIR draft</h2>
      ${inline ? '' : html`<a class="button" id="download-pir" href="/api/pir.md" download="pir.md">Download pir.md</a>`}
    </div>
    <article class="markdown">
      ${trusted(inlineCharts(markdownToHtml(view.markdown, view.citations.linkText), view, inline))}
    </article>
  </section>`;
}

/** What the evidence says in a few lines: the first thing shown after an upload. */
function summarySection(view: CaseView): TrustedHtml {
  const { analysis } = view;
  if (!analysis) return html``;
  const found = analysis.findings.filter((f) => f.status === 'found');
  const c = analysis.correlation;
  const setAside = (view.data.setAside ?? []).length;
  return html`<section id="summary" aria-labelledby="summary-heading">
    <h2 id="summary-heading">Summary</h2>
    <dl class="figures">
      <dt>Evidence</dt>
      <dd>
        ${view.data.manifest.length} files, ${view.data.events.length}
        events${
          setAside > 0 ? html` (${setAside} copies set aside, <a href="#set-aside">see Evidence</a>)` : ''
        }${view.data.problems.length > 0 ? `, ${view.data.problems.length} problems met` : ''}
      </dd>
      <dt>Findings</dt>
      <dd>
        ${
          found.length === 0
            ? 'none'
            : html`${found.length}:
              ${found.map((f, i) => html`${i > 0 ? ', ' : ''}${f.title} (${f.confidence})`)}`
        }
      </dd>
      <dt>Lease failures within ${c.windowSeconds} s after a snapshot write</dt>
      <dd>
        ${c.withinWindow} of ${c.failuresInSpan} (${percent(c.observedShare)}; ${percent(c.expectedShare)}
        expected by chance)
      </dd>
    </dl>
  </section>`;
}

interface ReportOptions {
  title: string;
  /** The line under the heading. */
  subtitle: TrustedHtml;
  /** Self-contained (analyze --html): style inline, charts inline, no script, no upload form. */
  inline: { css: string } | null;
  uploads: TrustedHtml;
}

/** The report both `serve` and `analyze --html` show: a table of contents that stays in view, summary and pictures first. */
function renderReport(view: CaseView, options: ReportOptions): string {
  const { analysis } = view;
  const inline = options.inline !== null;
  const sections: [string, string][] = [
    ...(inline ? [] : ([['upload', 'Upload']] as [string, string][])),
    ...(analysis ? ([['summary', 'Summary']] as [string, string][]) : []),
    ['pictures', 'Pictures'],
    ...(analysis
      ? ([
          ['all-findings', 'Findings'],
          ['lease-vs-snapshot', 'Correlation'],
          ['before-after', 'Snapshots'],
        ] as [string, string][])
      : []),
    ...(view.markdown !== null || view.analysisError !== null
      ? ([['pir', 'PIR']] as [string, string][])
      : []),
    ['custody', 'Evidence'],
  ];
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title}</title>
        ${
          options.inline
            ? html`<meta
                  http-equiv="Content-Security-Policy"
                  content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"
                />
                <style>
                  ${trusted(options.inline.css.replace(/<\/style/gi, '<\\/style'))}
                </style>`
            : html`<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href="/assets/style.css" />
                <script type="module" src="/assets/app.js"></script>`
        }
      </head>
      <body>
        <header>
          <h1>howchain</h1>
          <p class="muted">${options.subtitle}</p>
        </header>
        <nav id="toc" aria-label="Contents">
          ${sections.map(([id, label]) => html`<a href="#${id}">${label}</a>`)}
        </nav>
        <main>
          ${inline ? '' : options.uploads} ${summarySection(view)} ${chartsSection(view)}
          ${
            analysis
              ? [
                  findingsSection(analysis, view.citations),
                  correlationSection(analysis),
                  snapshotDiffSection(analysis),
                ]
              : ''
          }
          ${pirSection(view, inline)} ${evidenceSection(view)}
        </main>
        ${excerptsSection(view.citations)}
      </body>
    </html>`;
  return page.value;
}

/** The whole page, rendered on the server: it works without JavaScript, which only adds upload progress. */
export function renderPage(
  view: CaseView,
  options: { casePath: string; maxUploadBytes: number; justUploaded?: string | null },
): string {
  return renderReport(view, {
    title: `howchain — ${options.casePath}`,
    subtitle: html`Case <code>${options.casePath}</code> · ${view.data.manifest.length} files ·
      ${view.data.events.length} events · offline, on this machine only`,
    inline: null,
    uploads: uploadsSection(view, { maxBytes: options.maxUploadBytes }, options.justUploaded ?? null),
  });
}

/**
 * The PIR as one self-contained HTML file (`analyze --html`): the same report as the web UI without
 * the upload form, its style and charts inline, no script, and a policy that forbids any request.
 */
export function renderStaticReport(view: CaseView, options: { inputs: string[]; css: string }): string {
  return renderReport(view, {
    title: `howchain PIR — ${options.inputs.join(', ')}`,
    subtitle: html`From ${options.inputs.map((input, i) => html`${i > 0 ? ', ' : ''}<code>${input}</code>`)} ·
    ${view.data.manifest.length} files · ${view.data.events.length} events`,
    inline: { css: options.css },
    uploads: html``,
  });
}

/** The page shown when a form upload (without JavaScript) is refused. */
export function renderRejection(message: string): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>howchain — upload refused</title>
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body>
        <main>
          <h1>Upload refused</h1>
          <p class="error" role="alert">${message}</p>
          <p>The case is unchanged. <a href="/">Back to the case</a></p>
        </main>
      </body>
    </html>`.value;
}
