// `npm test`: builds the bundles the integration tests spawn, then runs jest with ESM enabled.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
if (!process.env.SQUALL_SKIP_BUILD) {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    stdio: 'inherit',
    cwd: root
  })
  if (b.status !== 0) process.exit(b.status ?? 1)
}
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js')
const r = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings', jest, ...args],
  {
    stdio: 'inherit',
    cwd: root
  }
)
process.exit(r.status ?? 1)
