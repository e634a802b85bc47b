/**
 * OS and architecture as labels: workers offer the labels of the machine they run on, and a
 * job whose binary was built for one platform requires its labels, so a mixed cluster never
 * sends an x64 test binary to an arm64 worker. Names are Node's (`process.platform`,
 * `process.arch`), whatever tool built the binary. Pure apart from `hostPlatform`.
 */

/** A platform in Node's names: `os` like `process.platform`, `arch` like `process.arch`. */
export interface Platform {
  os: string
  arch: string
}

/** Label prefixes; a worker given a label with one of them keeps it instead of the detected one. */
export const OS_LABEL = 'os:'
export const ARCH_LABEL = 'arch:'

/** The platform this process runs on. */
export function hostPlatform(): Platform {
  return { os: process.platform, arch: process.arch }
}

/** `['os:linux', 'arch:x64']`. */
export function platformLabels(platform: Platform): string[] {
  return [`${OS_LABEL}${platform.os}`, `${ARCH_LABEL}${platform.arch}`]
}

/**
 * A worker's labels: the given ones plus its platform's. A given `os:`/`arch:` label wins over
 * the detected one (e.g. an x64 Node under emulation on an arm64 machine), so the user can
 * always say what the machine runs.
 */
export function withPlatformLabels(labels: readonly string[], platform: Platform): string[] {
  const out = [...labels]
  for (const label of platformLabels(platform)) {
    const prefix = label.startsWith(OS_LABEL) ? OS_LABEL : ARCH_LABEL
    if (!out.some(l => l.startsWith(prefix))) out.push(label)
  }
  return out
}

const GO_OS: Record<string, string> = { windows: 'win32' }
const GO_ARCH: Record<string, string> = { amd64: 'x64', '386': 'ia32' }

/** Go's `GOOS`/`GOARCH` in Node's names (`amd64` → `x64`; `linux`, `arm64` stay). */
export function platformFromGo(goos: string, goarch: string): Platform {
  return { os: GO_OS[goos] ?? goos, arch: GO_ARCH[goarch] ?? goarch }
}

const RUST_ARCH: Record<string, string> = {
  x86_64: 'x64',
  aarch64: 'arm64',
  i686: 'ia32',
  i586: 'ia32',
  powerpc64le: 'ppc64',
  riscv64gc: 'riscv64'
}
const RUST_OS: [RegExp, string][] = [
  [/-linux-/, 'linux'],
  [/-apple-darwin$/, 'darwin'],
  [/-windows-/, 'win32'],
  [/-freebsd$/, 'freebsd']
]

/**
 * A Rust target triple (`x86_64-unknown-linux-gnu`) in Node's names; undefined for a triple
 * it does not know (a custom target JSON, an embedded target), so no label is guessed.
 */
export function platformFromRustTriple(triple: string): Platform | undefined {
  const arch = triple.split('-')[0] ?? ''
  const os = RUST_OS.find(([pattern]) => pattern.test(triple))?.[1]
  if (!os || arch === '') return undefined
  return { os, arch: RUST_ARCH[arch] ?? (arch.startsWith('arm') ? 'arm' : arch) }
}
