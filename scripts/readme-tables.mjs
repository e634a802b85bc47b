// Regenerates the inputs/outputs tables in README.md from the action.yml files.
// `node scripts/readme-tables.mjs` rewrites README.md; `--check` exits 1 when it is stale.
// Tables live between <!-- action:NAME --> and <!-- /action:NAME --> markers.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const actions = {
  squall: 'action.yml',
  'setup-runtime': 'setup-runtime/action.yml',
  broker: 'broker/action.yml',
  worker: 'worker/action.yml',
  runner: 'runner/action.yml'
}

const cell = text =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')

export function tables(name) {
  const doc = parse(readFileSync(join(root, actions[name]), 'utf8'))
  const lines = []
  const inputs = Object.entries(doc.inputs ?? {})
  if (inputs.length > 0) {
    lines.push('| input | description | default |', '| --- | --- | --- |')
    for (const [key, spec] of inputs)
      lines.push(
        `| \`${key}\` | ${cell(spec.description)} | ${spec.default === '' || spec.default === undefined ? '' : `\`${cell(spec.default)}\``} |`
      )
  }
  const outputs = Object.entries(doc.outputs ?? {})
  if (outputs.length > 0) {
    if (lines.length > 0) lines.push('')
    lines.push('| output | description |', '| --- | --- |')
    for (const [key, spec] of outputs) lines.push(`| \`${key}\` | ${cell(spec.description)} |`)
  }
  if (lines.length === 0) lines.push('No inputs or outputs.')
  return lines.join('\n')
}

export function render(readme) {
  let out = readme
  for (const name of Object.keys(actions)) {
    const re = new RegExp(`(<!-- action:${name} -->\\n)[\\s\\S]*?(<!-- /action:${name} -->)`)
    if (!re.test(out))
      throw new Error(`README.md has no <!-- action:${name} --> … <!-- /action:${name} --> block`)
    out = out.replace(re, (_, open, close) => `${open}${tables(name)}\n${close}`)
  }
  return out
}

const path = join(root, 'README.md')
const current = readFileSync(path, 'utf8')
const next = render(current)
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write('README.md action tables are stale: run node scripts/readme-tables.mjs\n')
    process.exit(1)
  }
} else if (next !== current) {
  writeFileSync(path, next)
  process.stdout.write('README.md tables updated\n')
}
