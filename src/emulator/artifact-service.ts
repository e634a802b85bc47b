/**
 * `github.actions.results.api.v1.ArtifactService` handlers: request fields in, wire answer
 * out (snake_case, int64 as strings, `ok: true` where the message has it).
 */
import type { BackendIds } from '../results-store/index.js'
import type { ArtifactRecord, ArtifactStore } from './artifact-store.js'
import {
  containerUrls,
  resultsContainer,
  type BlobSigner,
  type UrlLifetimes
} from './blob-signer.js'
import { TwirpError, int64Field, optionalField, stringField, type Fields } from './twirp.js'

/** What the handlers need from the emulator. */
export interface ArtifactServiceContext {
  store: ArtifactStore
  signer: BlobSigner
  /** Current lifetimes of signed URLs (mutable: `setUrlLifetimes`). */
  lifetimes: UrlLifetimes
  /** Removes the artifact's blob when it is deleted. */
  deleteBlob(blobName: string): Promise<void>
  onCreated?(record: ArtifactRecord): void
  now(): Date
}

/** A handler: the caller's verified ids and the request body in, the answer body out. */
export type Handler = (caller: BackendIds, body: Fields) => Promise<unknown>

/**
 * The run in the request must be the token's (or, where `anyAttempt`, another attempt of the
 * same run: a re-run reads what earlier attempts left); so must the job where `sameJob`.
 */
function checkIds(
  caller: BackendIds,
  body: Fields,
  sameJob: boolean,
  anyAttempt?: (a: string, b: string) => boolean
): BackendIds {
  const ids = {
    workflowRunBackendId: stringField(body, 'workflow_run_backend_id'),
    workflowJobRunBackendId: stringField(body, 'workflow_job_run_backend_id')
  }
  if (!ids.workflowRunBackendId || !ids.workflowJobRunBackendId) {
    throw new TwirpError(
      'invalid_argument',
      'workflow_run_backend_id and workflow_job_run_backend_id are required'
    )
  }
  const sameRun = anyAttempt ?? ((a: string, b: string) => a === b)
  if (!sameRun(ids.workflowRunBackendId, caller.workflowRunBackendId)) {
    throw new TwirpError(
      'permission_denied',
      'the token does not grant access to this workflow run'
    )
  }
  if (sameJob && ids.workflowJobRunBackendId !== caller.workflowJobRunBackendId) {
    throw new TwirpError(
      'permission_denied',
      'the token does not grant access to this workflow job run'
    )
  }
  return ids
}

/** proto3 JSON of google.protobuf.Timestamp. */
function timestamp(date: Date): string {
  return date.toISOString()
}

/** Builds the ArtifactService method table. */
export function artifactService(ctx: ArtifactServiceContext): Record<string, Handler> {
  const urls = containerUrls(ctx.signer, resultsContainer, ctx.lifetimes)
  /**
   * The run, job and name of the artifact a request names: any job of the run may read it,
   * in any attempt (the ids are those ListArtifacts gave, the creating attempt's).
   */
  const named = (caller: BackendIds, body: Fields): [string, string, string] => {
    const ids = checkIds(caller, body, false, (a, b) => ctx.store.sameRun(a, b))
    return [ids.workflowRunBackendId, ids.workflowJobRunBackendId, stringField(body, 'name')]
  }
  return {
    async CreateArtifact(caller, body) {
      const ids = checkIds(caller, body, true)
      const version = Number(body['version'] ?? 0)
      if (!Number.isInteger(version) || version < 0) {
        throw new TwirpError('invalid_argument', 'version must be a non-negative integer')
      }
      const record = ctx.store.create(
        {
          runId: ids.workflowRunBackendId,
          jobId: ids.workflowJobRunBackendId,
          name: stringField(body, 'name'),
          version,
          mimeType: optionalField(body, 'mime_type'),
          expiresAt: optionalField(body, 'expires_at')
        },
        ctx.now()
      )
      ctx.onCreated?.(record)
      return { ok: true, signed_upload_url: urls.upload(record.blobName) }
    },

    async FinalizeArtifact(caller, body) {
      const ids = checkIds(caller, body, true)
      const record = ctx.store.finalize(
        ids.workflowRunBackendId,
        ids.workflowJobRunBackendId,
        stringField(body, 'name'),
        int64Field(body, 'size'),
        optionalField(body, 'hash')
      )
      return { ok: true, artifact_id: record.id.toString() }
    },

    async ListArtifacts(caller, body) {
      const ids = checkIds(caller, body, true)
      const idFilter = optionalField(body, 'id_filter')
      if (idFilter !== undefined && !/^-?\d+$/.test(idFilter)) {
        throw new TwirpError('malformed', 'id_filter must be an int64 (a decimal string)')
      }
      const artifacts = ctx.store.list(
        ids.workflowRunBackendId,
        optionalField(body, 'name_filter'),
        idFilter === undefined ? undefined : BigInt(idFilter)
      )
      return {
        artifacts: artifacts.map(a => ({
          workflow_run_backend_id: a.runId,
          workflow_job_run_backend_id: a.jobId,
          database_id: a.id.toString(),
          name: a.name,
          size: a.size.toString(),
          created_at: timestamp(a.createdAt),
          ...(a.digest !== undefined ? { digest: a.digest } : {})
        }))
      }
    },

    async GetSignedArtifactURL(caller, body) {
      const record = ctx.store.get(...named(caller, body))
      return { signed_url: urls.download(record.blobName, record.fileName) }
    },

    async DeleteArtifact(caller, body) {
      const record = ctx.store.delete(...named(caller, body))
      await ctx.deleteBlob(record.blobName)
      return { ok: true, artifact_id: record.id.toString() }
    }
  }
}
