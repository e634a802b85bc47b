// A small CPU-light check used by the example suite: waits, then verifies a computed value.
// usage: node check.mjs <name> <milliseconds> [expected-sum]
const [name = 'check', ms = '100', expected] = process.argv.slice(2)
const n = Number(ms)
setTimeout(() => {
  const sum = Array.from({ length: 1000 }, (_, i) => i).reduce((a, b) => a + b, 0)
  if (expected !== undefined && Number(expected) !== sum) {
    console.error(`${name}: expected ${expected}, computed ${sum}`)
    process.exit(1)
  }
  console.log(`${name}: ok after ${n} ms`)
}, n)
