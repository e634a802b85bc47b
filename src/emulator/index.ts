/** The results service emulator: what tests, benchmarks and `squall emulator` use. */
export {
  emulatorEnv,
  startEmulator,
  type Emulator,
  type EmulatorJob,
  type EmulatorOptions,
  type UrlLifetimes
} from './emulator.js'
export { FaultInjector, seededRandom, type FaultOptions } from './faults.js'
export { faultableMethods, formatFaultSpec, parseFaultSpec } from './fault-spec.js'
export { maxArtifactsPerJob, maxNameLength, validateArtifactName } from './artifact-store.js'
export { blobOperation } from './blob-proxy.js'
export { requestCounts } from './counters.js'
