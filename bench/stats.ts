/** Median of a non-empty list of numbers. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of a non-empty list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
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
export function printTable(title: string, rows: BenchRow[], floor: string): string {
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
