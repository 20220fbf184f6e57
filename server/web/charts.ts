/**
 * Charts as inline SVG, rendered on the server. The page's CSP forbids inline styles and scripts, so
 * everything here uses presentation attributes and CSS classes (styled in public/pages.css, `.chart`).
 * Every chart is `role="img"` with a <title> and an aria-label; the page puts a data table beside it
 * for screen readers. All text that comes from data is escaped.
 */

export function escapeXml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Fixed decimals without trailing noise, for coordinates. */
const f = (x: number) => (Math.round(x * 10) / 10).toString();

/** Shortens a label to about `max` characters; the full text stays in a <title>. */
function clip(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

/** Width of the label column, fitted to the longest label within bounds, and how many characters fit. */
function labelColumn(rows: Array<{ label: string; sublabel?: string | undefined }>, min = 70, max = 200) {
  const LABEL_PX = 7.6;
  const SUB_PX = 6.1;
  const need = Math.max(0, ...rows.map((r) => Math.max([...r.label].length * LABEL_PX, [...(r.sublabel ?? '')].length * SUB_PX)));
  const width = Math.round(Math.min(max, Math.max(min, need + 6)));
  return { width, labelChars: Math.floor((width - 4) / LABEL_PX), subChars: Math.floor((width - 4) / SUB_PX) };
}

/** Round tick values from 0 to at least `max`. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

function open(id: string, title: string, width: number, height: number, className: string, desc?: string): string {
  const titleId = `${id}-title`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${escapeXml(className)}" id="${escapeXml(id)}" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" role="img" aria-labelledby="${escapeXml(titleId)}" aria-label="${escapeXml(title)}" font-size="12">` +
    `<title id="${escapeXml(titleId)}">${escapeXml(title)}</title>` +
    (desc ? `<desc>${escapeXml(desc)}</desc>` : '')
  );
}

/** A series of a stacked chart. `pattern` gives it a texture so it is told apart without colour. */
export interface Series {
  key: string;
  label: string;
  /** CSS class of its fill, e.g. `s-accept`. */
  className: string;
  pattern?: 'solid' | 'stripes' | 'dots' | 'cross';
  /** The fill is dark: shares written on it are white. */
  dark?: boolean;
}

function patternDefs(id: string, series: Series[]): string {
  const defs = series
    .filter((s) => s.pattern && s.pattern !== 'solid')
    .map((s) => {
      const pid = `${id}-${s.key}`;
      const base = `<rect width="8" height="8" class="${escapeXml(s.className)}"/>`;
      switch (s.pattern) {
        case 'stripes':
          return `<pattern id="${escapeXml(pid)}" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">${base}<rect width="3" height="8" class="${escapeXml(s.className)} texture"/></pattern>`;
        case 'dots':
          return `<pattern id="${escapeXml(pid)}" patternUnits="userSpaceOnUse" width="6" height="6">${base}<circle cx="3" cy="3" r="1.1" class="${escapeXml(s.className)} texture"/></pattern>`;
        case 'cross':
          return `<pattern id="${escapeXml(pid)}" patternUnits="userSpaceOnUse" width="8" height="8">${base}<path d="M0 0L8 8M8 0L0 8" class="${escapeXml(s.className)} texture-line" stroke-width="1.4"/></pattern>`;
        default:
          return '';
      }
    })
    .join('');
  return defs ? `<defs>${defs}</defs>` : '';
}

const patterned = (s: Series) => !!s.pattern && s.pattern !== 'solid';

/**
 * The fill of a series' shapes: a solid series is coloured by its CSS class; a textured one by its
 * pattern, through the `fill` attribute (a CSS fill would override it, so it gets no colour class).
 */
function fillOf(id: string, s: Series): string {
  return patterned(s) ? ` fill="url(#${escapeXml(`${id}-${s.key}`)})"` : '';
}

function fillClass(s: Series): string {
  return patterned(s) ? 'patterned' : escapeXml(s.className);
}

function legend(id: string, series: Series[], x: number, y: number): string {
  let cx = x;
  let out = `<g class="legend" transform="translate(0 ${y})">`;
  for (const s of series) {
    out += `<rect x="${f(cx)}" y="-10" width="14" height="14" rx="2" class="swatch ${fillClass(s)}"${fillOf(id, s)}/>`;
    out += `<text x="${f(cx + 20)}" y="1" class="legend-label">${escapeXml(s.label)}</text>`;
    cx += 20 + [...s.label].length * 6.6 + 18;
  }
  return `${out}</g>`;
}

export interface StackedRow {
  label: string;
  /** Small text under the label (e.g. a run's engine). */
  sublabel?: string;
  /** One value per series, in the series' order. */
  values: number[];
}

/**
 * Horizontal 100% stacked bars, one per row, with the share written on every segment wide enough
 * to hold it, the count at the end of the bar, a legend with the series' textures, and a tooltip
 * (<title>) on each segment.
 */
export function stackedBars(opts: { id: string; title: string; desc?: string; series: Series[]; rows: StackedRow[]; totalLabel?: string; width?: number }): string {
  const width = opts.width ?? 640;
  const col = labelColumn(opts.rows);
  const labelW = col.width;
  const countW = 56;
  const barX = labelW + 10;
  const barW = width - barX - countW;
  const rowH = 36;
  const barH = 22;
  const top = 34;
  const height = top + opts.rows.length * rowH + 8;
  let out = open(opts.id, opts.title, width, height, 'chart-stacked', opts.desc);
  out += patternDefs(opts.id, opts.series);
  out += legend(opts.id, opts.series, barX, 14);
  opts.rows.forEach((row, i) => {
    const y = top + i * rowH;
    const total = row.values.reduce((a, b) => a + b, 0);
    const ly = row.sublabel ? y + barH / 2 - 2 : y + barH / 2 + 4;
    out += `<g class="row">`;
    out += `<text x="${labelW}" y="${f(ly)}" text-anchor="end" class="row-label"><title>${escapeXml(row.label)}</title>${escapeXml(clip(row.label, col.labelChars))}</text>`;
    if (row.sublabel) out += `<text x="${labelW}" y="${f(ly + 13)}" text-anchor="end" class="row-sublabel">${escapeXml(clip(row.sublabel, col.subChars))}</text>`;
    out += `<rect x="${barX}" y="${y}" width="${barW}" height="${barH}" rx="3" class="track"/>`;
    let x = barX;
    row.values.forEach((v, j) => {
      const s = opts.series[j];
      if (!s || v <= 0 || total <= 0) return;
      const w = (v / total) * barW;
      const pct = Math.round((v / total) * 100);
      out += `<rect x="${f(x)}" y="${y}" width="${f(w)}" height="${barH}" class="seg ${fillClass(s)}"${fillOf(opts.id, s)}>` +
        `<title>${escapeXml(`${row.label}: ${s.label} ${v} of ${total} (${pct}%)`)}</title></rect>`;
      if (w >= 34) out += `<text x="${f(x + w / 2)}" y="${f(y + barH / 2 + 4)}" text-anchor="middle" class="seg-label${s.dark ? ' on-dark' : ''}" aria-hidden="true">${pct}%</text>`;
      x += w;
    });
    out += `<text x="${f(barX + barW + 8)}" y="${f(y + barH / 2 + 4)}" class="row-count">${escapeXml(`${opts.totalLabel ?? 'n'} ${total}`)}</text>`;
    out += `</g>`;
  });
  return `${out}</svg>`;
}

export interface Bar {
  label: string;
  value: number;
  /** Text written at the end of the bar (the value with its unit). */
  display: string;
  sublabel?: string;
}

/** Horizontal bars on a common scale with gridlines, the value written after each bar. */
export function barChart(opts: { id: string; title: string; desc?: string; bars: Bar[]; axisLabel?: string; className?: string; width?: number }): string {
  const width = opts.width ?? 640;
  const col = labelColumn(opts.bars);
  const labelW = col.width;
  const barX = labelW + 10;
  const valueW = 110;
  const barW = width - barX - valueW;
  const rowH = 34;
  const barH = 20;
  const top = 10;
  const plotH = opts.bars.length * rowH;
  const height = top + plotH + 40;
  const max = Math.max(0, ...opts.bars.map((b) => b.value));
  const ticks = niceTicks(max, 4);
  const scaleMax = ticks[ticks.length - 1]! || 1;
  const sx = (v: number) => barX + (v / scaleMax) * barW;
  let out = open(opts.id, opts.title, width, height, `chart-bars ${opts.className ?? ''}`.trim(), opts.desc);
  for (const t of ticks) {
    out += `<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${top - 4}" y2="${top + plotH}" class="grid"/>`;
    out += `<text x="${f(sx(t))}" y="${top + plotH + 16}" text-anchor="middle" class="tick">${escapeXml(formatTick(t))}</text>`;
  }
  if (opts.axisLabel) out += `<text x="${f(barX + barW / 2)}" y="${top + plotH + 34}" text-anchor="middle" class="axis-label">${escapeXml(opts.axisLabel)}</text>`;
  opts.bars.forEach((b, i) => {
    const y = top + i * rowH + (rowH - barH) / 2;
    const w = Math.max(b.value > 0 ? 2 : 0, sx(b.value) - barX);
    const ly = b.sublabel ? y + barH / 2 - 2 : y + barH / 2 + 4;
    out += `<g class="row">`;
    out += `<text x="${labelW}" y="${f(ly)}" text-anchor="end" class="row-label"><title>${escapeXml(b.label)}</title>${escapeXml(clip(b.label, col.labelChars))}</text>`;
    if (b.sublabel) out += `<text x="${labelW}" y="${f(ly + 13)}" text-anchor="end" class="row-sublabel">${escapeXml(clip(b.sublabel, col.subChars))}</text>`;
    out += `<rect x="${barX}" y="${f(y)}" width="${f(w)}" height="${barH}" rx="3" class="bar"><title>${escapeXml(`${b.label}: ${b.display}`)}</title></rect>`;
    out += `<text x="${f(barX + w + 6)}" y="${f(y + barH / 2 + 4)}" class="bar-value">${escapeXml(b.display)}</text>`;
    out += `</g>`;
  });
  out += `<line x1="${barX}" x2="${barX}" y1="${top - 4}" y2="${top + plotH}" class="axis"/>`;
  return `${out}</svg>`;
}

function formatTick(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(t < 1 ? 2 : 1).replace(/0$/, '');
}

export interface Bin {
  /** Label under the bar, e.g. `0.1–0.2`. */
  label: string;
  count: number;
  /** Edge value drawn at the bar's left side (the last bin may have none). */
  edge?: string;
}

/** Vertical bars over consecutive bins, a count above each non-empty bar, a y axis with gridlines. */
export function histogram(opts: { id: string; title: string; desc?: string; bins: Bin[]; xLabel: string; yLabel: string; lastEdge?: string; width?: number }): string {
  const width = opts.width ?? 640;
  const left = 48;
  const right = 12;
  const top = 18;
  const plotH = 190;
  const height = top + plotH + 52;
  const plotW = width - left - right;
  const n = Math.max(1, opts.bins.length);
  const slot = plotW / n;
  const gap = Math.min(6, slot * 0.15);
  const max = Math.max(0, ...opts.bins.map((b) => b.count));
  const ticks = niceTicks(max, 4).filter((t) => Number.isInteger(t));
  const scaleMax = ticks[ticks.length - 1]! || 1;
  const sy = (v: number) => top + plotH - (v / scaleMax) * plotH;
  let out = open(opts.id, opts.title, width, height, 'chart-histogram', opts.desc);
  for (const t of ticks) {
    out += `<line x1="${left}" x2="${width - right}" y1="${f(sy(t))}" y2="${f(sy(t))}" class="grid"/>`;
    out += `<text x="${left - 8}" y="${f(sy(t) + 4)}" text-anchor="end" class="tick">${t}</text>`;
  }
  opts.bins.forEach((b, i) => {
    const x = left + i * slot + gap / 2;
    const h = top + plotH - sy(b.count);
    out += `<g class="bin">`;
    if (b.count > 0) {
      out += `<rect x="${f(x)}" y="${f(sy(b.count))}" width="${f(slot - gap)}" height="${f(h)}" rx="2" class="bar${i === opts.bins.length - 1 ? ' bar-open' : ''}"><title>${escapeXml(`HTER ${b.label}: ${b.count} paragraph${b.count === 1 ? '' : 's'}`)}</title></rect>`;
      out += `<text x="${f(x + (slot - gap) / 2)}" y="${f(sy(b.count) - 5)}" text-anchor="middle" class="bar-value">${b.count}</text>`;
    }
    if (b.edge !== undefined) out += `<text x="${f(left + i * slot)}" y="${top + plotH + 16}" text-anchor="middle" class="tick">${escapeXml(b.edge)}</text>`;
    out += `</g>`;
  });
  if (opts.lastEdge !== undefined) out += `<text x="${f(left + n * slot - 4)}" y="${top + plotH + 16}" text-anchor="end" class="tick">${escapeXml(opts.lastEdge)}</text>`;
  out += `<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" class="axis"/>`;
  out += `<text x="${f(left + plotW / 2)}" y="${top + plotH + 40}" text-anchor="middle" class="axis-label">${escapeXml(opts.xLabel)}</text>`;
  out += `<text transform="translate(13 ${f(top + plotH / 2)}) rotate(-90)" text-anchor="middle" class="axis-label">${escapeXml(opts.yLabel)}</text>`;
  return `${out}</svg>`;
}
