/** Small statistics for the benchmark: medians of rounds, percentiles of samples, and a table with ratios. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** `a / b` as `0.53×`, or `–` when either is missing. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';
}

export function fmt(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** Prints a Markdown table (pastes as-is into the README or an issue note). */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of cells.slice(1)) console.log(line(r));
}

/** One measured row: `value` is compared with the floor row's value to give its ratio. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Extra columns (p99, target, …), printed as given. */
  notes?: Record<string, string>;
}

/** Prints rows as a Markdown table with each row's ratio to `floor` (a row name) and returns the text. */
export function printRatioTable(title: string, rows: BenchRow[], floor: string): string {
  const base = rows.find((r) => r.name === floor);
  const noteKeys = [...new Set(rows.flatMap((r) => Object.keys(r.notes ?? {})))];
  const header = ['operation', 'median', `ratio to ${floor}`, ...noteKeys];
  const lines = rows.map((r) => [
    r.name,
    `${formatNumber(r.value)} ${r.unit}`,
    base && base.value > 0 ? (r.value / base.value).toFixed(3) : '—',
    ...noteKeys.map((k) => r.notes?.[k] ?? ''),
  ]);
  const text = [`\n### ${title}\n`, `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
  console.log(text);
  return text;
}

export function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
}
