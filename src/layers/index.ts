/** Content-addressed layers: pack once, ship through the artifact store or a shared directory. */
export type { LayerProvider, LayerPublisher } from './provider.js'
export { packLayer, layerEntries, type PackedLayer } from './pack.js'
export { extractLayer, readEntries } from './extract.js'
export { checkEntries, type EntryHeader } from './entry-checks.js'
export { LayerCache, type LayerCacheOptions, type LayerLease, type FillLayer } from './cache.js'
export { ExtractOnce, layerMarker } from './extract-once.js'
export {
  ArtifactLayerProvider,
  ArtifactLayerPublisher,
  type ArtifactLayerProviderOptions,
  type ArtifactLayerPublisherOptions,
  type ArtifactLayersOptions
} from './artifact-layers.js'
export {
  LocalLayerProvider,
  LocalLayerPublisher,
  type LocalLayerProviderOptions
} from './local-layers.js'
export {
  checkLayerDigest,
  hashFile,
  isLayerDigest,
  layerArtifactName,
  layerFileName
} from './digest.js'
export { LayerError, UnsafeEntryError } from './errors.js'
