/**
 * The report page: one self-contained HTML document (inline CSS and SVG, no scripts, nothing fetched).
 * Pure string building, so the dashboard can make the same page in the browser.
 */
import { escapeHtml as esc, toHtml, type Block } from '../present/document.js';

/** One analysis as the report shows it. */
export interface ReportSection {
  title: string;
  /** The command that reproduces it. */
  command: string;
  /** The analysis's tables and lines (as the command prints them). */
  blocks: Block[];
  warnings: string[];
  /** Standalone SVG markup of each figure. */
  figures: { name: string; svg: string }[];
}

export interface ReportPage {
  title: string;
  description?: string;
  /** Where the commands are run from, in words ("the folder of study.json"). */
  workingDirectory: string;
  sections: ReportSection[];
}

const CSS = `
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2.2em;border-bottom:1px solid #ccc;padding-bottom:.2em}h3{margin-top:1.4em}
pre.cmd{background:#f5f5f5;border:1px solid #ddd;padding:.6em .8em;white-space:pre-wrap;word-break:break-all;font-size:.85em}
table{border-collapse:collapse;margin:.8em 0;font-size:.85em;font-variant-numeric:tabular-nums}
th,td{padding:.25em .7em;border-bottom:1px solid #e4e4e4;text-align:right;white-space:nowrap}
th{border-bottom:2px solid #999;font-weight:600}td:first-child,th:first-child{text-align:left}
.warnings{background:#fff8e5;border-left:4px solid #e69f00;padding:.5em 1em;margin:1em 0}.warnings li{margin:.2em 0}
figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}nav ol{columns:2}.note{color:#555;font-size:.9em}
`;

/** Renders the page. */
export function reportHtml(page: ReportPage): string {
  const toc = page.sections.map((s, i) => `<li><a href="#s${i + 1}">${esc(s.title)}</a></li>`).join('');
  const body = page.sections.map((s, i) => section(s, i + 1)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(page.title)}</h1>
${page.description ? `<p>${esc(page.description)}</p>` : ''}
<p class="note">Made by scalewise. Every section gives the command that reproduces it, run from ${esc(page.workingDirectory)}.</p>
<nav><ol>${toc}</ol></nav>
${body}
</body></html>
`;
}

function section(s: ReportSection, n: number): string {
  const warnings = s.warnings.length
    ? `<div class="warnings"><strong>Warnings (${s.warnings.length})</strong><ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`
    : '';
  const figures = s.figures.map((f) => `<figure id="${esc(f.name)}-${n}">${f.svg.replace(/^<\?xml[^>]*>\s*/, '')}</figure>`).join('\n');
  return `<section id="s${n}"><h2>${n}. ${esc(s.title)}</h2>
<pre class="cmd">${esc(s.command)}</pre>
${toHtml(s.blocks)}
${warnings}
${figures}
</section>`;
}
