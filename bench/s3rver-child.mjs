// s3rver 3.7.1 (TEST-INFRA §4) in its own process: node bench/s3rver-child.mjs DIR; prints "PORT n".
import { createRequire } from 'node:module'

const S3rver = createRequire(import.meta.url)('s3rver')
const app = new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[2], silent: true, configureBuckets: [{ name: 'bench' }] })
const { port } = await app.run()
process.stdout.write(`PORT ${port}\n`)
process.on('SIGTERM', () => {
  app.close().finally(() => process.exit(0))
})
