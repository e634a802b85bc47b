// `npm test`: brings the fixture suites' toolchains (Go, cargo, pytest) when they are missing,
// builds the bundles the integration tests spawn, then runs jest with ESM enabled.
import { spawnSync } from 'node:child_process'
import { homedir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
// rustup installs cargo under ~/.cargo/bin, which a fresh shell may not have on its PATH.
process.env.PATH = [join(homedir(), '.cargo', 'bin'), process.env.PATH].join(delimiter)
if (!process.env.SQUALL_SKIP_TOOLCHAINS) {
  // Installs what is missing from Debian's packages when it runs as root; otherwise it fails
  // with one line naming the packages to install.
  const t = spawnSync('bash', [join(root, 'scripts', 'install-toolchains.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: root
  })
  if (t.status !== 0) process.exit(t.status ?? 1)
}
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
