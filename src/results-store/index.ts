/**
 * The results store: the Actions results service (Twirp ArtifactService) and the blob storage
 * behind its signed URLs. One client, one blob HTTP, one retry: what transport, layers, the
 * emulator and the hosts use to reach the store.
 */
export { ResultsClient, type ResultsClientOptions, type ArtifactEntry } from './client.js'
export {
  AlreadyExistsError,
  BlobError,
  NotFoundError,
  ResultsServiceError,
  type ResultsFailure
} from './errors.js'
export {
  AttemptError,
  RetryError,
  defaultCallRetryPolicy,
  describeNetworkError,
  withRetry,
  type CallRetryPolicy
} from './retry.js'
export { BlobHttp, type RangeRead } from './blob-http.js'
export {
  LOST_CREATE_SKIPS,
  createNumbered,
  findNumbered,
  firstNumbered,
  numberedName,
  numberOf
} from './numbered-names.js'
export { downloadBlob, retryBlob, uploadBlockBlob, type BlobTransferOptions } from './blob-files.js'
export { runtimeFromEnv, type ActionsRuntime } from './runtime.js'
export {
  mintRuntimeToken,
  parseRuntimeToken,
  verifyRuntimeToken,
  type BackendIds
} from './token.js'
