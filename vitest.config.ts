import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so device emulators and child processes are not starved.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts', 'signers/**/*.test.ts', 'src/**/*.test.ts'] } },
      // The same bytes on the pure-JS backend (noble + WebCrypto), as browsers and Node without libsecp256k1 run.
      { extends: true, test: { name: 'pure-js', include: ['test/interop.test.ts', 'test/knownAnswer.test.ts', 'test/cryptoBackend.test.ts'], env: { XMTP_SIGNERS_NATIVE: '0' } } },
    ],
  },
})
