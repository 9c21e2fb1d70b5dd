// After tsc: mark the CLI's bin executable (tsc writes it 0644).
import { chmodSync } from 'node:fs'
chmodSync('dist/cli/main.js', 0o755)
