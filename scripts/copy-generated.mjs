// tsc does not copy the generated protobuf code (plain JS with its own .d.ts), nor mark the bin executable.
import { chmodSync, cpSync } from 'node:fs'
cpSync('src/proto', 'dist/src/proto', { recursive: true })
chmodSync('dist/cli/main.js', 0o755)
