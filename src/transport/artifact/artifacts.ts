/**
 * Creating a stream artifact: CreateArtifact for a signed upload URL, an empty append blob on
 * it, FinalizeArtifact at once (so List and Get see it while it grows).
 */
import {
  createNumbered,
  NotFoundError,
  retryBlob,
  type BlobHttp,
  type CallRetryPolicy,
  type ResultsClient
} from '../../results-store/index.js'

/** What stream code needs to reach the store. */
export interface StoreContext {
  client: ResultsClient
  blob: BlobHttp
  /** Retries of blob writes (the results client has its own). */
  blobRetry: CallRetryPolicy
  /** Told of every artifact this process created. */
  onCreated?: (name: string) => void
}

/** A created, finalized, empty append-blob artifact and when its upload URL was issued. */
export interface CreatedArtifact {
  name: string
  /** 0, or the number a lost answer made us take (`<name>.<number>`, see numbered-names). */
  number: number
  uploadUrl: string
  issuedAt: number
}

/**
 * Creates `name` (AlreadyExistsError from the client when the run has it already). With
 * `renumber`, a name taken by a create of ours whose answer was lost gives way to the next
 * number; readers then look for the first numbered one.
 */
export async function createAppendArtifact(
  ctx: StoreContext,
  name: string,
  options: { renumber?: boolean } = {}
): Promise<CreatedArtifact> {
  const issuedAt = Date.now()
  const mimeType = 'application/octet-stream'
  const created = options.renumber
    ? await createNumbered(ctx.client, name, 0, { mimeType })
    : { name, n: 0, uploadUrl: await ctx.client.createArtifact(name, { mimeType }) }
  const { uploadUrl } = created
  ctx.onCreated?.(created.name)
  await retryBlob(ctx.blobRetry, signal => ctx.blob.createAppendBlob(uploadUrl, signal))
  await ctx.client.finalizeArtifact(created.name, 0)
  return { name: created.name, number: created.n, uploadUrl, issuedAt }
}

/**
 * Deletes every finalized artifact of the run whose name `match` accepts, whichever job of the
 * run created it (the service lets any job of a run delete its artifacts, as the official
 * client's deleteArtifact does). One listing; names already gone are fine. The names deleted.
 */
export async function deleteArtifacts(
  ctx: StoreContext,
  match: (name: string) => boolean
): Promise<string[]> {
  const doomed = (await ctx.client.listArtifacts()).filter(entry => match(entry.name))
  const deleted: string[] = []
  for (const entry of doomed) {
    try {
      await ctx.client.deleteArtifact(entry.name, entry.workflowJobRunBackendId)
      deleted.push(entry.name)
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
    }
  }
  return deleted
}

/** Whether `name` is stream `stream` or one of its rollover segments. */
export function isSegmentOf(stream: string, name: string): boolean {
  return (
    name === stream ||
    (name.startsWith(`${stream}.`) && /^\d+$/.test(name.slice(stream.length + 1)))
  )
}
