/** The backup pipeline: what the backup service uses to write, verify, export and restore files. */
export { runPipeline } from './run-pipeline'
export { createCompressor, createDecompressor, zstdImplementation } from './compress'
export { createEncryptor, createDecryptor } from './encrypt'
export { sha256OfStream, ChecksumTransform } from './checksum'
export { restoreStream, type RestoreStreamOptions } from './restore-stream'
export { abortReason } from './abort'
export type { DecryptionKey, EncryptionKey, PipelineOptions, PipelineProgress, PipelineRun } from './pipeline'
