import { firstLine, indent, plural, stripAnsi, tail } from '../../src/report/format.js'
import { formatDuration } from '../../src/values.js'
import { xmlAttribute, xmlText } from '../../src/report/xml-text.js'

test.each([
  [0, '0ms'],
  [850.4, '850ms'],
  [1000, '1.0s'],
  [1234, '1.2s'],
  [59_940, '59.9s'],
  [59_960, '1m 00s'],
  [184_000, '3m 04s'],
  [3_599_000, '59m 59s'],
  [3_720_000, '1h 02m'],
  [-5, '0ms'],
  [Number.NaN, '0ms']
])('formatDuration(%p) is %p', (ms, text) => {
  expect(formatDuration(ms)).toBe(text)
})

test('tail keeps the last lines and says how many were left out', () => {
  const text = ['a', 'b', 'c', 'd', ''].join('\n')
  expect(tail(text, 2)).toBe('… 2 earlier lines …\nc\nd')
  expect(tail(text, 3)).toBe('… 1 earlier line …\nb\nc\nd')
  expect(tail(text, 4)).toBe('a\nb\nc\nd')
})

test('indent leaves blank lines alone', () => {
  expect(indent('a\n\nb', '> ')).toBe('> a\n\n> b')
})

test('stripAnsi removes colours, cursor moves and titles', () => {
  expect(stripAnsi('\u001b[1;31mred\u001b[0m \u001b[2K\u001b[1Gline \u001b]0;title\u0007end')).toBe(
    'red line end'
  )
})

test('firstLine takes the first non-blank line and cuts it', () => {
  expect(firstLine('\n  boom  \nmore')).toBe('boom')
  expect(firstLine('x'.repeat(10), 5)).toBe('xxxx…')
  expect(firstLine('')).toBe('')
})

test('plural', () => {
  expect(plural(1, 'test')).toBe('1 test')
  expect(plural(0, 'test')).toBe('0 tests')
})

test('xmlText keeps tabs and newlines, shows other controls, drops colours and lone surrogates', () => {
  expect(xmlText('a\tb\r\nc\u0000d\u001be\u001b[31mf\u0007')).toBe('a\tb\r\nc\\x00d\\x1bef\\x07')
  expect(xmlText('ok \ud83d\ude00 \udc00 \uffff')).toBe('ok \ud83d\ude00 \ufffd \ufffd')
  expect(xmlText(undefined)).toBe('')
  expect(xmlAttribute(' one\n  two\r\nthree ')).toBe('one two three')
})
