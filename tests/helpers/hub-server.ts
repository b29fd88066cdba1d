/**
 * A local WebSub hub for tests, on 127.0.0.1: records every publish ping (its form fields and
 * User-Agent) and answers with the status the test sets (202 by default, as hubs answer).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Ping {
  mode: string | null;
  url: string | null;
  contentType: string | undefined;
  userAgent: string | undefined;
}

export interface TestHub {
  url: string;
  pings: Ping[];
  /** The status answered from now on. */
  answer(status: number): void;
  close(): Promise<void>;
}

export async function startHub(): Promise<TestHub> {
  const pings: Ping[] = [];
  let status = 202;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (req.method === 'POST') {
        pings.push({ mode: form.get('hub.mode'), url: form.get('hub.url'), contentType: req.headers['content-type'], userAgent: req.headers['user-agent'] });
      }
      res.writeHead(req.method === 'POST' ? status : 405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hub`,
    pings,
    answer: (s) => (status = s),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
