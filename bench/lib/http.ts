/** Plain HTTP GET with a deadline and its wall time; never keeps the connection (each call is fresh). */
import { request } from 'node:http';

export interface Timed {
  status: number;
  body: string;
  ms: number;
}

export class HttpTimeout extends Error {
  constructor(
    readonly url: string,
    readonly ms: number,
  ) {
    super(`GET ${url}: no answer within ${ms} ms`);
  }
}

export function timedGet(url: string, timeoutMs: number): Promise<Timed> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - start });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new HttpTimeout(url, timeoutMs));
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

/** Poll until GET url answers `status` (default 200); throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, status = 200): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      const r = await timedGet(url, 2000);
      if (r.status === status) return;
      last = `HTTP ${r.status} ${r.body.trim().slice(0, 200)}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not answering ${status} after ${timeoutMs} ms (last: ${last})`);
}

/** Value of one sample in Prometheus text exposition (first series matching name and label subset). */
export function sampleValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}
