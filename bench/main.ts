/** `npm run bench [-- section…]`: runs the benchmark sections and prints one table. */
import { frameworksBench } from './frameworks.js'
import { layersBench } from './layers.js'
import { overheadBench } from './overhead.js'
import { predictBench } from './predict.js'
import { schedulingBench } from './scheduling.js'
import { transportBench } from './transport.js'
import { formatTable, type Row } from './table.js'

/** A section's rows, or rows and notes (a legend) printed under the table. */
type Section = (log: (line: string) => void) => Promise<Row[] | { rows: Row[]; notes: string[] }>
const sections: Record<string, Section> = {
  scheduling: schedulingBench,
  overhead: overheadBench,
  frameworks: frameworksBench,
  transport: transportBench,
  layers: layersBench,
  predict: predictBench
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter(w => !(w in sections))
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown section ${unknown.join(', ')}; expected ${Object.keys(sections).join(', ')}\n`
  )
  process.exit(2)
}
const rows: Row[] = []
const notes: string[] = []
const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  const result = await run(log)
  if (Array.isArray(result)) rows.push(...result)
  else {
    rows.push(...result.rows)
    notes.push(...result.notes)
  }
}
process.stdout.write(`\n${formatTable(rows)}\n`)
if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`)
process.exit(0)
