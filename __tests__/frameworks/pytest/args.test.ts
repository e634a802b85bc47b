import { collectArgs, splitPytestArgs } from '../../../src/frameworks/pytest/args.js'

test('options go to every run; paths only choose what is listed', () => {
  const args = splitPytestArgs([
    '-k',
    'a and not b',
    'tests/unit',
    '-x',
    '--tb=short',
    '-m',
    'slow',
    '-vv',
    'tests/x.py::t'
  ])
  expect(args).toEqual({
    options: ['-k', 'a and not b', '-x', '--tb=short', '-m', 'slow', '-vv'],
    paths: ['tests/unit', 'tests/x.py::t']
  })
  expect(collectArgs(args)).toEqual([
    '-k',
    'a and not b',
    '-x',
    '--tb=short',
    '-m',
    'slow',
    'tests/unit',
    'tests/x.py::t'
  ])
})

test('verbosity never changes the listing format; -- ends options', () => {
  const args = splitPytestArgs(['-q', '--verbosity', '2', '--verbose', '--', '-odd-path'])
  expect(args).toEqual({ options: ['-q', '--verbosity', '2', '--verbose'], paths: ['-odd-path'] })
  expect(collectArgs(args)).toEqual(['-odd-path'])
})
