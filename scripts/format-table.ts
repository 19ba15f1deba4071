/** Rows of objects as a Markdown table (the keys of the first row are the columns), padded to line up as text. */
export function formatTable(rows: readonly object[]): string {
  const cells = rows.map((row) => row as Record<string, unknown>);
  const headers = Object.keys(cells[0] ?? {});
  const widths = headers.map((h) => Math.max(h.length, ...cells.map((r) => String(r[h]).length)));
  const line = (values: string[]) => `| ${values.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map((r) => line(headers.map((h) => String(r[h]))))].join('\n');
}
