import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef, type CSSProperties } from 'react'

/** The sticky header row's height (styles.css): the body starts below it. */
const HEADER_PX = 31

interface VirtualRowsOptions {
  /** A row's fixed height (styles.css), so the estimate is exact (measured rows may grow). */
  rowPx: number
  overscan: number
  /** False: no row is virtualised (the caller renders them all). */
  enabled?: boolean
}

export interface VirtualRow<R> {
  row: R
  index: number
  /** Moves the row to its place in the body. */
  style: CSSProperties
}

/**
 * The rows of a table inside a scroll box that are in view, plus `overscan` either side: the box takes
 * `scrollRef`, the body gets `height`, and each of `visible` is placed by its `style`.
 */
export function useVirtualRows<R extends { id: string }>(rows: readonly R[], { rowPx, overscan, enabled = true }: VirtualRowsOptions) {
  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser's functions are read during render on purpose; nothing here is memoised by the compiler
  const virtualizer = useVirtualizer({
    count: enabled ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowPx,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan,
    scrollMargin: HEADER_PX,
  })
  const visible = virtualizer.getVirtualItems().flatMap((item): VirtualRow<R>[] => {
    const row = rows[item.index]
    return row ? [{ row, index: item.index, style: { transform: `translateY(${item.start - HEADER_PX}px)` } }] : []
  })
  return { scrollRef, virtualizer, visible, height: virtualizer.getTotalSize() }
}
