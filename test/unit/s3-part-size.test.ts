import { describe, expect, it } from 'vitest'
import { partSizeFor } from '../../src/main/core/destinations/s3/s3-destination'

const MiB = 1024 * 1024
const GiB = 1024 * MiB

describe('S3 part size', () => {
  it('keeps the base size for small or unknown sizes and grows so a big database stays under 10,000 parts', () => {
    expect(partSizeFor(8 * MiB, undefined)).toBe(8 * MiB)
    expect(partSizeFor(8 * MiB, 10 * GiB)).toBe(8 * MiB)
    for (const size of [100 * GiB, 500 * GiB, 2048 * GiB]) {
      const part = partSizeFor(8 * MiB, size)
      expect(part % MiB).toBe(0)
      // even 50 % more data than estimated fits in 9,000 parts
      expect(Math.ceil((size * 1.5) / part)).toBeLessThanOrEqual(9_000)
    }
    expect(partSizeFor(8 * MiB, 100_000 * GiB)).toBe(5 * GiB) // S3's own maximum part size
  })
})
