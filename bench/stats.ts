import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** An installed package's version, read from disk: some packages (DMK's) do not export their package.json. */
export const packageVersion = (name: string): string =>
  (JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version

// Shared by the benchmark parts: one median, one way to print a duration.

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function fmtMs(ms: number): string {
  if (Number.isNaN(ms)) return '–'
  if (ms >= 100) return `${Math.round(ms)} ms`
  if (ms >= 1) return `${ms.toFixed(1)} ms`
  return `${(ms * 1000).toFixed(0)} µs`
}

export const fmtRange = (v: readonly number[]): string => (v.length ? `${fmtMs(Math.min(...v))}–${fmtMs(Math.max(...v))}` : '–')
