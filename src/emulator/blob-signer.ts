/**
 * Signed URLs into the emulated storage account, shaped like the real service's: an upload
 * URL that can create, write and append (and read back), a read-only download URL that names
 * the file to save as. URLs point at the blob proxy, which forwards to Azurite.
 */
import {
  BlobSASPermissions,
  BlobServiceClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters
} from '@azure/storage-blob'

/** Azurite's well-known development account. */
export const devAccountName = 'devstoreaccount1'
export const devAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

/** The containers the emulator keeps artifacts and caches in. */
export const resultsContainer = 'actions-results'
export const cacheContainer = 'actions-cache'

/** Lifetimes of the signed URLs handed out from now on. */
export interface UrlLifetimes {
  uploadUrlTtlMs: number
  downloadUrlTtlMs: number
}

/**
 * Signs URLs of one container's blobs with the lifetimes in force at each call (`lifetimes`
 * is read each time: the emulator may change it).
 */
export function containerUrls(signer: BlobSigner, container: string, lifetimes: UrlLifetimes) {
  return {
    upload: (blobName: string): string =>
      signer.uploadUrl(container, blobName, lifetimes.uploadUrlTtlMs),
    download: (blobName: string, fileName?: string): string =>
      signer.downloadUrl(container, blobName, lifetimes.downloadUrlTtlMs, fileName)
  }
}

/** Signs URLs for one account endpoint. */
export class BlobSigner {
  private readonly credential = new StorageSharedKeyCredential(devAccountName, devAccountKey)

  /** `publicEndpoint`: http://host:port/devstoreaccount1 as the clients will see it. */
  constructor(readonly publicEndpoint: string) {}

  /** A URL allowed to create, write, append to and read the blob until `ttlMs` from now. */
  uploadUrl(container: string, blobName: string, ttlMs: number): string {
    return this.sign(container, blobName, 'racw', ttlMs)
  }

  /** A read-only URL; the download names `fileName` in its Content-Disposition. */
  downloadUrl(container: string, blobName: string, ttlMs: number, fileName?: string): string {
    const disposition = fileName
      ? `attachment; filename="${fileName.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
      : undefined
    return this.sign(container, blobName, 'r', ttlMs, disposition)
  }

  private sign(
    container: string,
    blobName: string,
    permissions: string,
    ttlMs: number,
    contentDisposition?: string
  ): string {
    const now = Date.now()
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        // A little slack backwards like Azure advises against clock skew; expiry is exact.
        startsOn: new Date(now - 5 * 60 * 1000),
        expiresOn: new Date(now + ttlMs),
        protocol: SASProtocol.HttpsAndHttp,
        contentDisposition
      },
      this.credential
    ).toString()
    const path = blobName.split('/').map(encodeURIComponent).join('/')
    return `${this.publicEndpoint}/${container}/${path}?${sas}`
  }
}

/** Creates the emulator's containers in Azurite (direct, not through the proxy). */
export async function createContainers(azuriteUrl: string): Promise<void> {
  const service = new BlobServiceClient(
    `${azuriteUrl}/${devAccountName}`,
    new StorageSharedKeyCredential(devAccountName, devAccountKey)
  )
  for (const name of [resultsContainer, cacheContainer]) {
    await service.getContainerClient(name).createIfNotExists()
  }
}

/** Deletes a blob directly in Azurite; a missing blob is fine. */
export async function deleteBlob(
  azuriteUrl: string,
  container: string,
  blobName: string
): Promise<void> {
  const service = new BlobServiceClient(
    `${azuriteUrl}/${devAccountName}`,
    new StorageSharedKeyCredential(devAccountName, devAccountKey)
  )
  await service.getContainerClient(container).getBlobClient(blobName).deleteIfExists()
}
