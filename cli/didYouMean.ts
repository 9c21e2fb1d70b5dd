/** Levenshtein distance with adjacent swaps (optimal string alignment): one typo is distance 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** The closest candidate a typo likely meant (a third of its letters wrong at most, or a unique prefix), if any. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(typed.length / 3))
  let best: { name: string; distance: number } | undefined
  for (const name of candidates) {
    const distance = editDistance(typed.toLowerCase(), name)
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance }
  }
  if (best) return best.name
  const prefixed = typed.length >= 3 ? candidates.filter((name) => name.startsWith(typed.toLowerCase())) : []
  return prefixed.length === 1 ? prefixed[0] : undefined
}
