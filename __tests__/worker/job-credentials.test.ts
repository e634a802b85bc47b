/**
 * Test code never sees cluster credentials: a worker that joined through the artifact store
 * with the runtime token runs a job printing its environment, and no credential is in it but
 * the one passed through on purpose.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Broker } from '../../src/broker/broker.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { getFramework } from '../../src/frameworks/index.js'
import { ResultsClient } from '../../src/results-store/index.js'
import type { JobResult } from '../../src/protocol/types.js'
import { runSuite } from '../../src/runner/runner.js'
import { ArtifactTransport, Poller } from '../../src/transport/artifact/index.js'
import { MultiListener } from '../../src/transport/multi-listener.js'
import { TcpTransport } from '../../src/transport/tcp.js'
import { withoutCredentials } from '../../src/worker/job-dir.js'
import { cliBundle, makeTempDir } from '../helpers/cli.js'

describe('withoutCredentials', () => {
  test('removes the runtime variables and the cluster secret, keeps the rest', () => {
    const env = {
      PATH: '/bin',
      ACTIONS_RUNTIME_TOKEN: 't',
      ACTIONS_RESULTS_URL: 'r',
      ACTIONS_CACHE_URL: 'c',
      ACTIONS_RUNTIME_URL: 'u',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'o',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'ot',
      SQUALL_CLUSTER_SECRET: 's',
      DB_PASSWORD: 'kept: not squall’s to judge'
    }
    expect(withoutCredentials(env)).toEqual({ PATH: '/bin', DB_PASSWORD: env.DB_PASSWORD })
    expect(withoutCredentials(env, ['ACTIONS_CACHE_URL'])).toEqual({
      PATH: '/bin',
      DB_PASSWORD: env.DB_PASSWORD,
      ACTIONS_CACHE_URL: 'c'
    })
  })
})

describe('a real worker joined through the artifact store', () => {
  let emulator: Emulator
  let temp: { dir: string; remove: () => void }
  beforeAll(async () => {
    emulator = await startEmulator({ jobs: 2 })
  }, 60_000)
  afterAll(async () => {
    await emulator.stop()
  })
  beforeEach(() => {
    temp = makeTempDir()
  })
  afterEach(() => temp.remove())

  test('a job running env sees no runtime variable, only the one passed through', async () => {
    const clusterId = `creds-${process.pid}`
    const brokerEnv = emulator.jobs[0]?.env as NodeJS.ProcessEnv
    const artifacts = new ArtifactTransport({
      client: ResultsClient.fromEnv(brokerEnv),
      poller: new Poller({ minMs: 20, maxMs: 500 })
    })
    const tcp = await new TcpTransport().listen('127.0.0.1:0')
    const listener = new MultiListener([tcp, await artifacts.listen(clusterId)])
    const broker = new Broker({ listener, clusterId, heartbeatMs: 5000 })
    broker.start()
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...emulator.jobs[1]?.env,
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.invalid/request',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-value'
    }
    const worker = spawn(
      process.execPath,
      [
        cliBundle,
        'worker',
        '--transport',
        'artifacts',
        '--cluster-id',
        clusterId,
        '--id',
        'w-creds',
        '--slots',
        '1',
        '--layer-store',
        'none',
        '--wait-timeout',
        '60s',
        '--pass-env',
        'ACTIONS_CACHE_URL'
      ],
      { cwd: temp.dir, env: workerEnv, stdio: ['ignore', 'ignore', 'pipe'] }
    )
    let workerLog = ''
    worker.stderr.on('data', (d: Buffer) => (workerLog += d.toString()))
    const workerExit = new Promise<number | null>(resolve => worker.on('close', resolve))
    const jobsFile = join(temp.dir, 'jobs.json')
    writeFileSync(jobsFile, JSON.stringify([{ name: 'env', command: 'env' }]))
    const results: JobResult[] = []
    try {
      const summary = await runSuite({
        connect: () => new TcpTransport().connect(tcp.address),
        framework: getFramework('commands'),
        cwd: temp.dir,
        args: [],
        jobsFile,
        timeoutMs: 30_000,
        slots: 1,
        retries: 0,
        failOnFlaky: false,
        timingsPath: '',
        waitForWorkers: 1,
        waitForWorkersMs: 60_000,
        onEvent: event => {
          if (event.type === 'job-finished') results.push(event.result)
        }
      })
      expect(summary.passed).toBe(1)
      expect(await workerExit).toBe(0)
    } finally {
      worker.kill('SIGKILL')
      await broker.stop('test over')
    }
    const printed = results[0]?.stdout.text ?? ''
    // The worker used its token (it joined through the store); the job saw none of it.
    expect(results[0]?.worker).toBe('w-creds')
    expect(printed).toContain('PATH=')
    for (const name of [
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_RESULTS_URL',
      'ACTIONS_RUNTIME_URL',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
    ]) {
      expect(printed).not.toMatch(new RegExp(`^${name}=`, 'm'))
    }
    expect(printed).not.toContain(String(workerEnv.ACTIONS_RUNTIME_TOKEN))
    expect(printed).not.toContain('oidc-request-token-value')
    expect(printed).toContain(`ACTIONS_CACHE_URL=${String(workerEnv.ACTIONS_CACHE_URL)}`)
    expect(workerLog).toContain('joined cluster')
  }, 120_000)
})
