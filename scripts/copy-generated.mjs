// tsc does not copy the generated protobuf code (plain JS with its own .d.ts); this does.
import { cpSync } from 'node:fs'
cpSync('src/proto', 'dist/src/proto', { recursive: true })
