import {
  platformFromGo,
  platformFromRustTriple,
  platformLabels,
  withPlatformLabels
} from '../../src/protocol/platform.js'
import { parseGoEnvPlatform } from '../../src/frameworks/go/build.js'
import { cargoTargetPlatform } from '../../src/frameworks/cargo/build.js'
import { splitCargoArgs } from '../../src/frameworks/cargo/args.js'

test('a platform is two labels in Node names', () => {
  expect(platformLabels({ os: 'linux', arch: 'x64' })).toEqual(['os:linux', 'arch:x64'])
})

test('a worker adds its platform to the labels it is given', () => {
  expect(withPlatformLabels(['gpu'], { os: 'darwin', arch: 'arm64' })).toEqual([
    'gpu',
    'os:darwin',
    'arch:arm64'
  ])
})

test('a given os: or arch: label wins over the detected one', () => {
  expect(withPlatformLabels(['arch:arm64'], { os: 'darwin', arch: 'x64' })).toEqual([
    'arch:arm64',
    'os:darwin'
  ])
  expect(withPlatformLabels(['os:linux'], { os: 'win32', arch: 'x64' })).toEqual([
    'os:linux',
    'arch:x64'
  ])
})

test('go names map to Node names', () => {
  expect(platformFromGo('linux', 'amd64')).toEqual({ os: 'linux', arch: 'x64' })
  expect(platformFromGo('darwin', 'arm64')).toEqual({ os: 'darwin', arch: 'arm64' })
  expect(platformFromGo('windows', '386')).toEqual({ os: 'win32', arch: 'ia32' })
  expect(parseGoEnvPlatform('linux\narm64\n')).toEqual({ os: 'linux', arch: 'arm64' })
  expect(() => parseGoEnvPlatform('linux\n')).toThrow(/go env GOOS GOARCH printed/)
})

test('rust triples map to Node names; unknown ones give none', () => {
  expect(platformFromRustTriple('x86_64-unknown-linux-gnu')).toEqual({ os: 'linux', arch: 'x64' })
  expect(platformFromRustTriple('aarch64-apple-darwin')).toEqual({ os: 'darwin', arch: 'arm64' })
  expect(platformFromRustTriple('x86_64-pc-windows-msvc')).toEqual({ os: 'win32', arch: 'x64' })
  expect(platformFromRustTriple('armv7-unknown-linux-gnueabihf')).toEqual({
    os: 'linux',
    arch: 'arm'
  })
  expect(platformFromRustTriple('thumbv7em-none-eabihf')).toBeUndefined()
})

test('cargo builds for --target when given, else for this machine', () => {
  expect(splitCargoArgs(['--target', 'aarch64-unknown-linux-gnu']).target).toBe(
    'aarch64-unknown-linux-gnu'
  )
  expect(splitCargoArgs(['--target=x86_64-apple-darwin']).target).toBe('x86_64-apple-darwin')
  expect(cargoTargetPlatform('aarch64-unknown-linux-gnu')).toEqual({ os: 'linux', arch: 'arm64' })
  expect(cargoTargetPlatform(undefined)).toEqual({ os: process.platform, arch: process.arch })
})
