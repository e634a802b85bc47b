/** A benchmark row and the plain-text table every section prints into. */

export interface Row {
  section: string
  case: string
  figure: string
  value: string
  target?: string
}

export function formatTable(rows: Row[]): string {
  const header: Row = {
    section: 'section',
    case: 'case',
    figure: 'figure',
    value: 'value',
    target: 'target'
  }
  const all = [header, ...rows]
  const keys = ['section', 'case', 'figure', 'value', 'target'] as const
  const widths = keys.map(k => Math.max(...all.map(r => (r[k] ?? '').length)))
  const line = (r: Row): string =>
    keys
      .map((k, i) => (r[k] ?? '').padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()
  const rule = widths.map(w => '-'.repeat(w)).join('  ')
  return [line(header), rule, ...rows.map(line)].join('\n')
}

export function fixed(n: number, digits = 3): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n)
}
