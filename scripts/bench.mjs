// `npm run bench [-- section…]`: bundles bench/main.ts (ncc, into build/bench) and runs it.
// The benchmark spawns the built CLI, so the project is built first.
import { execFileSync, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
  stdio: 'inherit',
  cwd: root
})
execFileSync(process.execPath, [ncc, 'build', 'bench/main.ts', '-o', 'build/bench', '-q'], {
  stdio: 'inherit',
  cwd: root
})
const r = spawnSync(
  process.execPath,
  [join(root, 'build', 'bench', 'index.js'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    cwd: root
  }
)
process.exit(r.status ?? 1)
