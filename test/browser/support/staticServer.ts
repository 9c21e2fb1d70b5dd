import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
}

export type StaticServer = { readonly url: string; readonly requests: string[]; close(): Promise<void> }

/**
 * Serves a built app from `root` on 127.0.0.1 (OS-chosen port), every response with `headers`
 * (the Content-Security-Policy); `extra` adds in-memory files (test harnesses) at given paths.
 */
export async function serveStatic(options: { root: string; headers: Record<string, string>; extra?: Record<string, string> }): Promise<StaticServer> {
  const requests: string[] = []
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    requests.push(path)
    for (const [name, value] of Object.entries(options.headers)) response.setHeader(name, value)
    response.setHeader('X-Content-Type-Options', 'nosniff')
    response.setHeader('Cache-Control', 'no-store')
    const extra = options.extra?.[path]
    if (extra !== undefined) {
      response.setHeader('Content-Type', TYPES[extname(path)] ?? 'application/octet-stream')
      response.end(extra)
      return
    }
    const file = normalize(join(options.root, path === '/' ? 'index.html' : path))
    if (!file.startsWith(options.root.endsWith(sep) ? options.root : options.root + sep)) {
      response.statusCode = 403
      response.end()
      return
    }
    try {
      const body = await readFile(file)
      response.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream')
      response.end(body)
    } catch {
      response.statusCode = 404
      response.end('not found')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('the static server has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
