import { runPattern, splitGoArgs, subtestPattern } from '../../../src/frameworks/go/args.js'
import { binaryName, parseGoList, parseTestList } from '../../../src/frameworks/go/build.js'

test('packages, build flags and binary flags are sorted the way go test sorts them', () => {
  const args = splitGoArgs([
    '-tags',
    'extra',
    '-race',
    '--count=1',
    '-short',
    '-run',
    'TestA|TestB/sub/x',
    './calc',
    '-v',
    '-json',
    '-timeout',
    '30s',
    '-vet=off',
    '-update',
    './slow/...',
    '-args',
    '-custom',
    'value'
  ])
  expect(args).toEqual({
    packages: ['./calc', './slow/...'],
    buildFlags: ['-tags=extra', '-race', '-vet=off'],
    listFlags: ['-tags=extra', '-race'],
    binaryFlags: [
      '-test.count=1',
      '-test.short',
      '-test.timeout=30s',
      '-update',
      '-custom',
      'value'
    ],
    run: 'TestA|TestB',
    subtests: 'sub/x'
  })
  expect(splitGoArgs([])).toEqual({ packages: [], buildFlags: [], listFlags: [], binaryFlags: [] })
  // -o and -c are the framework's own.
  expect(splitGoArgs(['-o', 'x.test', '-c'])).toEqual({
    packages: [],
    buildFlags: [],
    listFlags: [],
    binaryFlags: []
  })
})

test('runPattern anchors whole names and keeps the subtest part', () => {
  expect(runPattern(['TestA', 'TestB'])).toBe('^(TestA|TestB)$')
  expect(runPattern(['TestA'], 'one')).toBe('^(TestA)$/one')
})

test('subtestPattern: one anchored alternation per level, names quoted as Go quotes them', () => {
  expect(subtestPattern(['case_1'])).toBe('^(case_1)$')
  expect(subtestPattern(['a/x', 'b/y', 'a'])).toBe('^(a|b)$/^(x|y)$')
  expect(subtestPattern(['twice#01', 'f(x)_=_1.5+[y]', 'a\\b'])).toBe(
    '^(twice#01|f\\(x\\)_=_1\\.5\\+\\[y\\]|a\\\\b)$'
  )
  expect(runPattern(['TestA'], subtestPattern(['a/b']))).toBe('^(TestA)$/^(a)$/^(b)$')
})

test('go list lines, -test.list names and binary names', () => {
  const listed = 'example.com/m/a\t1\t0\t/src/m/a\nexample.com/m/b\t0\t0\t/src/m/dir with\ttab\n\n'
  expect(parseGoList(listed)).toEqual([
    { importPath: 'example.com/m/a', dir: '/src/m/a', testFiles: 1 },
    { importPath: 'example.com/m/b', dir: '/src/m/dir with\ttab', testFiles: 0 }
  ])
  expect(parseTestList('TestA\nBenchmarkB\nExampleC\nFuzzD\ninit noise here\nTest_é\n')).toEqual([
    'TestA',
    'ExampleC',
    'FuzzD',
    'Test_é'
  ])
  expect(binaryName('example.com/m/a-b/v2')).toBe('example.com_m_a-b_v2.test')
})
