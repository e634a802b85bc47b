import { splitCargoArgs } from '../../../src/frameworks/cargo/args.js'
import {
  packageSpec,
  parseCargoArtifacts,
  parseDocCrates,
  parseTerseList,
  targetKeys
} from '../../../src/frameworks/cargo/build.js'
import type { CargoTestBinary } from '../../../src/frameworks/cargo/build.js'

test("cargo's options, the TESTNAME filter and the binary's options are told apart", () => {
  expect(
    splitCargoArgs([
      '-p',
      'core',
      '--features=x',
      'parse',
      '--release',
      '--message-format',
      'short',
      '--manifest-path',
      'a/Cargo.toml',
      '--',
      '--include-ignored',
      '--skip',
      'slow',
      '--exact',
      'more',
      '--format=json',
      '--test-threads',
      '2',
      '-q'
    ])
  ).toEqual({
    cargo: ['-p', 'core', '--features=x', '--release', '--manifest-path', 'a/Cargo.toml'],
    manifestPath: 'a/Cargo.toml',
    filters: ['parse', 'more'],
    exact: true,
    binary: ['--include-ignored', '--skip', 'slow', '--test-threads', '2'],
    docTests: 'also',
    docCargo: ['--features=x', '--release', '--manifest-path', 'a/Cargo.toml']
  })
  expect(splitCargoArgs([])).toEqual({
    cargo: [],
    filters: [],
    exact: false,
    binary: [],
    docTests: 'also',
    docCargo: []
  })
})

test('doc tests run as cargo test runs them: not with a target choice, only with --doc', () => {
  expect(splitCargoArgs(['--lib']).docTests).toBe('none')
  expect(splitCargoArgs(['--test', 'it']).docTests).toBe('none')
  expect(splitCargoArgs(['--all-targets']).docTests).toBe('none')
  expect(splitCargoArgs(['--doc', '--workspace', '--exclude', 'x', '-F', 'f'])).toMatchObject({
    docTests: 'only',
    cargo: ['--workspace', '--exclude', 'x', '-F', 'f', '--lib'],
    docCargo: ['-F', 'f']
  })
})

test('package ids become -p specs that hold on every machine', () => {
  expect(packageSpec('path+file:///w/a#cargo_suite@0.1.0')).toBe('cargo_suite@0.1.0')
  expect(packageSpec('path+file:///w/cargo_suite#0.1.0')).toBe('cargo_suite@0.1.0')
  expect(packageSpec('cargo_suite 0.1.0 (path+file:///w/a)')).toBe('cargo_suite@0.1.0')
})

test('libraries with doc tests come from compiler-artifact messages, once each', () => {
  const lines = [
    '{"reason":"compiler-artifact","package_id":"p","target":{"kind":["lib"],"name":"c","doctest":true},"profile":{"test":false}}',
    '{"reason":"compiler-artifact","package_id":"p","target":{"kind":["lib"],"name":"c","doctest":true},"profile":{"test":true}}',
    '{"reason":"compiler-artifact","package_id":"p","target":{"kind":["bin"],"name":"b","doctest":false},"profile":{"test":true}}',
    'not json {'
  ]
  expect(parseDocCrates(lines.join('\n'))).toEqual([{ packageId: 'p', targetName: 'c' }])
})

test('test executables come from compiler-artifact messages of test profiles only', () => {
  const lines = [
    '{"reason":"compiler-artifact","package_id":"p","manifest_path":"/c/Cargo.toml","target":{"kind":["lib"],"name":"c"},"profile":{"test":false},"executable":null}',
    '{"reason":"compiler-artifact","package_id":"p","manifest_path":"/c/Cargo.toml","target":{"kind":["test"],"name":"it"},"profile":{"test":true},"executable":"/c/target/debug/deps/it-1"}',
    '{"reason":"compiler-message","message":{}}',
    'not json {',
    '{"reason":"build-finished","success":true}'
  ]
  expect(parseCargoArtifacts(lines.join('\n'))).toEqual([
    {
      packageId: 'p',
      targetName: 'it',
      kind: 'test',
      executable: '/c/target/debug/deps/it-1',
      manifestPath: '/c/Cargo.toml'
    }
  ])
})

test('target keys stay readable and become unique when names collide', () => {
  const bin = (targetName: string, kind: string, packageId = 'p'): CargoTestBinary => ({
    packageId,
    targetName,
    kind,
    executable: '',
    manifestPath: ''
  })
  expect(
    targetKeys([bin('tool', 'lib'), bin('tool', 'bin'), bin('it', 'test'), bin('it', 'test', 'q')])
  ).toEqual(['tool[lib]', 'tool[bin]', 'p/it[test]', 'q/it[test]'])
  expect(targetKeys([bin('a', 'lib'), bin('b', 'test')])).toEqual(['a', 'b'])
})

test('terse listing: tests only', () => {
  expect(parseTerseList('tests::a: test\nbench_b: benchmark\nweird: name: test\n\n')).toEqual([
    'tests::a',
    'weird: name'
  ])
})
