/** Errors of layers: a layer that cannot be trusted or found. */
import { ClusterError } from '../errors.js'

/**
 * A layer could not be made available: missing from the store, bytes that do not match their
 * digest, or a tarball with an entry that would land outside its target. The message names
 * the layer and, where there is one, the entry.
 */
export class LayerError extends ClusterError {
  override name = 'LayerError'
}

/** A tarball entry refused by extraction (absolute, `..`, escaping link, device file…). */
export class UnsafeEntryError extends LayerError {
  override name = 'UnsafeEntryError'
  constructor(
    /** The entry's path as the archive spells it. */
    readonly entry: string,
    reason: string
  ) {
    super(`unsafe layer entry '${entry}': ${reason}`)
  }
}
