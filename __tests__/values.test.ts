import { splitLabels, unitDurationMs } from '../src/values.js'

test('unitDurationMs reads unit durations and refuses anything else', () => {
  expect(unitDurationMs('90s')).toBe(90_000)
  expect(unitDurationMs('5h30m')).toBe(19_800_000)
  expect(unitDurationMs('1.5m')).toBe(90_000)
  for (const bad of ['', '90', '5x', '0s', 'm5', '5m ']) expect(unitDurationMs(bad)).toBeUndefined()
})

test('splitLabels trims, drops empties and duplicates, and names the first invalid label', () => {
  expect(splitLabels(' gpu, linux,,gpu ', ',')).toEqual({ labels: ['gpu', 'linux'] })
  expect(splitLabels('a\nb,c', /[,\n]/)).toEqual({ labels: ['a', 'b', 'c'] })
  expect(splitLabels('ok,bad label,x y', ',').invalid).toBe('bad label')
})
