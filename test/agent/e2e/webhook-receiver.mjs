// A webhook receiver for the drill, run as its own process so the test can SIGKILL it like a real
// outage. Every POST is appended (one JSON line, fsynced) to FILE before the 200 goes out.
// It dedupes nothing: the test counts ids. Usage: node webhook-receiver.mjs PORT FILE
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file] = process.argv.slice(2);
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => {
    raw += c;
  });
  req.on('end', () => {
    const line = JSON.stringify({
      header: req.headers['x-faultline-alert-id'] ?? null,
      body: JSON.parse(raw || 'null'),
    });
    appendFileSync(file, `${line}\n`, { flush: true });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
