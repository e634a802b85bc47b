/** The seam between the worker and wherever layers come from (artifact store, shared dir). */

export interface LayerProvider {
  /**
   * Makes sure the content of each layer (tarballs named by SHA-256 digest) is extracted into
   * `targetDir`, fetching and verifying what is missing. Idempotent and safe to call from
   * concurrent jobs: each layer is fetched and extracted once per target directory.
   */
  ensure(digests: string[], targetDir: string): Promise<void>
}

/** Where the runner puts layers so workers can fetch them. */
export interface LayerPublisher {
  /** Packs `paths` (relative to `root`) into one layer, uploads it once; returns its digest. */
  publish(root: string, paths: string[]): Promise<string>
}
