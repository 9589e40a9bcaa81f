#!/usr/bin/env node
// A small HTTP server that daemonizes itself with daemonspec and reports ready only once its
// port is bound: `node server.mjs` returns 0 when the server answers, and 1 (printing why) when
// it cannot listen. See README.md next to this file.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { daemonize } from 'daemonspec';

// Code above daemonize() runs in both processes (the original and the daemon): keep it to
// argument parsing. Paths are made absolute here because the daemon runs in /.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    pidfile: { type: 'string', default: '/tmp/http-example.pid' },
    log: { type: 'string', default: '/tmp/http-example.log' },
  },
});
const log = resolve(values.log);

const daemon = await daemonize({
  pidfile: resolve(values.pidfile),
  stdout: log,
  stderr: log,
  manualReady: true, // ready after listen(), not as daemonize() returns
});

// From here on this is the daemon: no terminal, cwd /, stdin on /dev/null, output in the log.
const server = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end(`hello from daemon ${process.pid}: ${request.method} ${request.url}\n`);
});

server.once('error', (error) => daemon.fail(error)); // e.g. EADDRINUSE: the original exits 1 with it
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  console.log(`listening on http://${values.host}:${port} (pid ${process.pid})`);
  daemon.ready();
});

// TERM (daemonspec stop, kill): stop accepting, let requests finish, exit 0. On exit the
// daemonizer removes the pidfile.
process.once('SIGTERM', () => {
  console.log('SIGTERM: shutting down');
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
