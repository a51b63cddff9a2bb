import type { HealthPoint } from '../../../shared/health-model'
import { formatBytes, formatDuration, formatTimestamp } from '../../lib/labels'

const WIDTH = 480
const HEIGHT = 96
const PAD = { top: 12, right: 4, bottom: 4, left: 4 }
const INNER_W = WIDTH - PAD.left - PAD.right
const INNER_H = HEIGHT - PAD.top - PAD.bottom
/** Few runs get bars of this width at most, lined up at the right (newest) edge, not stretched across. */
const MIN_SLOTS = 12

const label = (p: HealthPoint) => `${formatTimestamp(p.at)} · ${p.status} · ${formatBytes(p.sizeBytes)} · ${formatDuration(p.durationMs)}`

/**
 * Size (bars, left scale) and duration (line, right scale) over the profile's recent runs, oldest
 * left. A failed run has no size: it is a short red bar at the floor, so gaps don't hide failures.
 * Plain SVG; every run has a <title> tooltip.
 */
export function HealthChart({ series }: { series: HealthPoint[] }) {
  const n = series.length
  const step = INNER_W / Math.max(n, MIN_SLOTS)
  const barW = Math.max(1, step * 0.7)
  const maxSize = Math.max(1, ...series.map((p) => p.sizeBytes ?? 0))
  const maxDuration = Math.max(1, ...series.map((p) => p.durationMs ?? 0))
  const xOf = (i: number) => PAD.left + INNER_W - (n - i) * step
  const sizeH = (bytes: number) => Math.max(1, (bytes / maxSize) * INNER_H)
  const durationY = (ms: number) => PAD.top + INNER_H - (ms / maxDuration) * INNER_H
  const line = series
    .map((p, i) => (p.durationMs === null ? null : `${(xOf(i) + step / 2).toFixed(1)},${durationY(p.durationMs).toFixed(1)}`))
    .filter((pt): pt is string => pt !== null)
    .join(' ')

  return (
    <figure className="health-chart">
      <svg
        role="img"
        aria-label={`Backup size and duration over the last ${n} ${n === 1 ? 'run' : 'runs'}`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        data-testid="health-chart"
      >
        <line className="chart-floor" x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + INNER_H} y2={PAD.top + INNER_H} />
        <text className="chart-scale" x={PAD.left} y={9}>
          {formatBytes(maxSize)}
        </text>
        <text className="chart-scale duration" x={WIDTH - PAD.right} y={9} textAnchor="end">
          {formatDuration(maxDuration)}
        </text>
        {series.map((p, i) => {
          const ok = p.sizeBytes !== null
          const h = ok ? sizeH(p.sizeBytes ?? 0) : 4
          return (
            <g key={`${p.at}-${i}`} data-testid="chart-point" data-status={p.status}>
              <title>{label(p)}</title>
              {/* A full-height transparent hit area, so thin bars still show their tooltip. */}
              <rect className="chart-hit" x={xOf(i)} y={PAD.top} width={step} height={INNER_H} />
              <rect className={`chart-bar chart-bar-${p.status}`} x={xOf(i) + (step - barW) / 2} y={PAD.top + INNER_H - h} width={barW} height={h} />
            </g>
          )
        })}
        {line && <polyline className="chart-line" points={line} />}
        {series.map((p, i) =>
          p.durationMs === null ? null : <circle key={`d-${p.at}-${i}`} className="chart-dot" cx={xOf(i) + step / 2} cy={durationY(p.durationMs)} r={1.8} />,
        )}
      </svg>
      <figcaption className="chart-legend" aria-hidden="true">
        <span className="key-size">▮ size</span> <span className="key-duration">— duration</span>
      </figcaption>
    </figure>
  )
}
