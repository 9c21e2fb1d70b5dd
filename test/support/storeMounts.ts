// Real file systems for key store tests: a small tmpfs that can be filled or remounted read-only (needs root).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type TmpfsMount = {
  readonly directory: string
  remount(mode: 'ro' | 'rw'): void
  unmount(): void
}

/** Mounts a tmpfs of `sizeKb` on a fresh directory; `unmount` is safe to call twice. */
export function mountTmpfs(sizeKb = 64): TmpfsMount {
  const directory = mkdtempSync(join(tmpdir(), 'xmtp-signers-mount-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', directory])
  let mounted = true
  return {
    directory,
    remount(mode) {
      execFileSync('mount', ['-o', `remount,${mode}`, directory])
    },
    unmount() {
      if (!mounted) return
      execFileSync('umount', [directory])
      mounted = false
      rmdirSync(directory)
    },
  }
}

/** Whether this process may mount file systems (root in a container that allows it). */
export function canMount(): boolean {
  if (process.getuid?.() !== 0) return false
  try {
    const probe = mountTmpfs(16)
    probe.unmount()
    return true
  } catch {
    return false
  }
}
