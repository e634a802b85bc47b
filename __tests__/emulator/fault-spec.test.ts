/** The fault spec of `squall emulator --faults`: parsed in one place, printed back the same. */
import { FaultInjector, formatFaultSpec, parseFaultSpec } from '../../src/emulator/index.js'
import { UsageError } from '../../src/errors.js'

test('every fault, blob and methods parse; the printed spec parses back to the same', () => {
  const spec =
    'latency=20ms,429=0.05,500=0.05,drop=0.02,lost=0.05,blob,methods=CreateArtifact+AppendBlock'
  const faults = parseFaultSpec('--faults', spec, 7)
  expect(faults).toEqual({
    seed: 7,
    latencyMs: 20,
    rate429: 0.05,
    rate500: 0.05,
    rateDrop: 0.02,
    rateLost: 0.05,
    blob: true,
    methods: ['CreateArtifact', 'AppendBlock']
  })
  expect(formatFaultSpec(faults)).toBe(spec)
  expect(parseFaultSpec('--faults', formatFaultSpec(faults), 7)).toEqual(faults)
  // Seconds, plain milliseconds, percentages and spaces.
  expect(parseFaultSpec('--faults', ' latency=0.5s , lost=10% ', 1)).toEqual({
    seed: 1,
    latencyMs: 500,
    rateLost: 0.1
  })
  expect(parseFaultSpec('--faults', 'latency=15', 1).latencyMs).toBe(15)
})

test.each([
  ['', /--faults: the spec is empty/],
  ['lost=0.1,,drop=0.1', /--faults: 'lost=0.1,,drop=0.1' has an empty item/],
  ['lost=2', /--faults: 'lost=2' is not a probability; expected 0 to 1/],
  ['500=-0.1', /--faults: '500=-0.1' is not a probability/],
  ['drop=often', /--faults: 'drop=often' is not a probability/],
  ['latency=fast', /--faults: 'latency=fast' is not a delay; expected e\.g\. 20ms/],
  ['latency=', /--faults: 'latency=' has no value/],
  ['lost', /--faults: 'lost' has no value/],
  ['blob=yes', /--faults: 'blob=yes': blob takes no value/],
  ['crash=0.1', /--faults: 'crash=0.1': unknown fault 'crash'; expected comma-separated/],
  ['lost=0.1,lost=0.2', /--faults: 'lost' is given twice/],
  [
    'methods=CreateArtifact+Append',
    /--faults: 'Append' in 'methods=CreateArtifact\+Append' is not a method the emulator knows/
  ],
  [
    '429=0.5,500=0.3,lost=0.4',
    /--faults: the rates of '429=0.5,500=0.3,lost=0.4' add up to 1\.2; their sum must not pass 1/
  ]
])('%j is refused with a usage error naming the flag and the bad part', (spec, message) => {
  const parse = (): unknown => parseFaultSpec('--faults', spec, 1)
  expect(parse).toThrow(UsageError)
  expect(parse).toThrow(message)
})

test('lost answers come from the same draw: older seeds keep their other faults', () => {
  const base = { seed: 5, rate429: 0.1, rate500: 0.1, rateDrop: 0.1 }
  const without = new FaultInjector(base)
  const withLost = new FaultInjector({ ...base, rateLost: 0.2 })
  const kinds = new Set<string>()
  for (let i = 0; i < 400; i++) {
    const a = without.decide('twirp', 'CreateArtifact').fault
    const b = withLost.decide('twirp', 'CreateArtifact').fault
    kinds.add(b)
    if (a !== 'none') expect(b).toBe(a)
    else expect(['none', 'lost-drop', 'lost-500']).toContain(b)
  }
  expect(kinds).toEqual(new Set(['none', '429', '500', 'drop', 'lost-drop', 'lost-500']))
  expect(() => new FaultInjector({ seed: 1, rateLost: 0.7, rateDrop: 0.5 })).toThrow(
    /add up to 1\.2/
  )
})
