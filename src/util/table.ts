/** A cell value that can be printed in a table. */
export type Cell = string | number | bigint | boolean | null | undefined;

/** Formats rows as an aligned plain-text table with a header and a dashed rule. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  return String(value);
}
