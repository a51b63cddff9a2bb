// The raw-SDK baseline: node bench/s3-raw-upload.mjs ENDPOINT BUCKET KEY [FILE]
// A @aws-sdk/lib-storage multipart upload with its default part size (5 MiB) and queue size (4) of
// FILE, or of stdin when FILE is missing (a stream of unknown length, like a dump pipeline).
import { createReadStream } from 'node:fs'
import { S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'

const [endpoint, bucket, key, file] = process.argv.slice(2)
const client = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
})
const body = file ? createReadStream(file) : process.stdin
await new Upload({ client, params: { Bucket: bucket, Key: key, Body: body } }).done()
client.destroy()
