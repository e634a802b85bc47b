/**
 * `squall emulator --faults <spec> --seed N`: a bad spec is a usage error naming the flag and
 * the bad part; a good one is printed back with its seed, and the emulator injects it.
 */
import { spawn } from 'node:child_process'
import { cliBundle, runCliProcess } from '../helpers/cli.js'

test.each([
  [['--faults', 'lost=2'], /squall: --faults: 'lost=2' is not a probability; expected 0 to 1/],
  [['--faults', 'lost=0.1,crash=1'], /squall: --faults: 'crash=1': unknown fault 'crash'/],
  [['--faults', 'lost=0.1', '--seed', 'x'], /--seed: 'x' is not a whole number of 0 or more/],
  [['--seed', '7'], /squall: --seed: '7' seeds injected faults; give --faults too/]
])('squall emulator %j exits 2 before starting anything', async (args, message) => {
  const result = await runCliProcess(['emulator', ...args], { timeoutMs: 30_000 })
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(message)
  expect(result.stdout).toBe('')
})

test('the faults are printed back with the seed, and injected', async () => {
  const child = spawn(
    process.execPath,
    [
      cliBundle,
      'emulator',
      '--jobs',
      '1',
      '--json',
      '--faults',
      ' 500=100% ,methods=ListArtifacts',
      '--seed',
      '7'
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('\n')) resolve(out.split('\n')[0] as string)
      })
      child.on('close', code => reject(new Error(`emulator exited ${code} before printing`)))
    })
    const printed = JSON.parse(line) as {
      resultsUrl: string
      jobs: Record<string, string>[]
      faults: { spec: string; seed: number }
    }
    expect(printed.faults).toEqual({ spec: '500=1,methods=ListArtifacts', seed: 7 })
    const env = printed.jobs[0] as Record<string, string>
    const answer = await fetch(
      `${printed.resultsUrl}twirp/github.actions.results.api.v1.ArtifactService/ListArtifacts`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${env['ACTIONS_RUNTIME_TOKEN']}`
        },
        body: '{}'
      }
    )
    expect(answer.status).toBe(500)
    expect(await answer.json()).toMatchObject({
      code: 'internal',
      msg: expect.stringMatching(/injected/)
    })
  } finally {
    child.kill('SIGTERM')
  }
  expect(await exited).toBe(0)
}, 60_000)
