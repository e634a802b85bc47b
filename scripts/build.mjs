// Builds one ncc bundle per entry point into dist/<name>/index.js.
// The set of entries is fixed here so a clean rebuild is reproducible. An action with a post
// step runs its one bundle twice (main and post, told apart by state), so it has one entry.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entries = {
  cli: 'src/cli/main.ts',
  // A worker's warm sessions: the host and the framework handlers only (started beside cli).
  session: 'src/cli/session-main.ts',
  'setup-runtime': 'src/actions/setup-runtime/main.ts',
  broker: 'src/actions/broker/main.ts',
  worker: 'src/actions/worker/main.ts',
  runner: 'src/actions/runner/main.ts',
  coordinator: 'src/actions/coordinator/main.ts'
}
// Files the bundles read at run time, copied next to them: squall's pytest plugin, found by
// src/frameworks/pytest/plugin.ts as `python/` beside the code (the source tree or a bundle).
const assets = { 'src/frameworks/pytest/python': 'python' }
const withAssets = new Set(['cli', 'session', 'worker', 'runner', 'coordinator'])
const only = process.argv.slice(2)
if (only.length === 0 && existsSync(join(root, 'dist'))) {
  // A full build leaves no bundle of an entry that is gone.
  for (const name of readdirSync(join(root, 'dist'))) {
    if (!(name in entries)) rmSync(join(root, 'dist', name), { recursive: true, force: true })
  }
}
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
for (const [name, entry] of Object.entries(entries)) {
  if (only.length > 0 && !only.includes(name)) continue
  if (!existsSync(join(root, entry))) continue
  const out = join(root, 'dist', name)
  rmSync(out, { recursive: true, force: true })
  process.stdout.write(`build ${name} <- ${entry}\n`)
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--target', 'es2022', '-q'], {
    cwd: root,
    stdio: 'inherit'
  })
  if (!withAssets.has(name)) continue
  for (const [from, to] of Object.entries(assets)) {
    cpSync(join(root, from), join(out, to), {
      recursive: true,
      filter: path => !path.includes('__pycache__')
    })
  }
}
