// The quickstart app: a tiny HTTP server that says which release it is. No dependencies.
// GET /        -> a line (or a small page in a browser) naming the live release
// GET /health  -> 200 {"status":"ok","release":"..."}
// Port: env PORT, default 8787; listens on 127.0.0.1 only.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The build step writes RELEASE; without it, the release folder's name is the release id.
const releaseFile = join(here, 'RELEASE');
const release = existsSync(releaseFile) ? readFileSync(releaseFile, 'utf8').trim() : basename(here);
const port = Number(process.env.PORT ?? 8787);
const startedAt = new Date().toISOString();

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', release, startedAt }));
    return;
  }
  if (req.url === '/' || req.url === '/index.html') {
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    res.writeHead(200, { 'content-type': wantsHtml ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8' });
    res.end(
      wantsHtml
        ? `<!doctype html><title>shipclock quickstart</title><h1>release ${escape(release)}</h1><p>started ${startedAt}</p>\n`
        : `release ${release}\n`,
    );
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

function escape(s) {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

server.listen(port, '127.0.0.1', () => console.log(`release ${release} listening on http://127.0.0.1:${port}/`));

// Stop cleanly so the next release can take the port at once.
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
