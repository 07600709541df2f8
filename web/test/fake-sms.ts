/**
 * A local stand-in for Alibaba Cloud SMS, for the browser tests' server: it
 * takes SendSms as dysmsapi does (a signed form POST) and keeps each message,
 * which a test reads back from GET /inbox?to=<phone> (the codes people type).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSms {
  url: string;
  close(): Promise<void>;
}

export async function startFakeSms(): Promise<FakeSms> {
  const inbox: { to: string; templateCode: string; params: Record<string, string> }[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (request.method === 'GET' && url.pathname === '/inbox') {
      const to = url.searchParams.get('to');
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(inbox.filter((message) => message.to === to)));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const fields = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      inbox.push({
        to: fields.get('PhoneNumbers') ?? '',
        templateCode: fields.get('TemplateCode') ?? '',
        params: JSON.parse(fields.get('TemplateParam') ?? '{}') as Record<string, string>,
      });
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Code: 'OK', Message: 'OK' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

/** The code in the latest SMS to a phone (read from the fake's inbox). */
export async function latestSmsCode(inboxUrl: string, phone: string): Promise<string> {
  const response = await fetch(`${inboxUrl}inbox?to=${encodeURIComponent(phone)}`);
  const messages = (await response.json()) as { params: Record<string, string> }[];
  const code = messages.findLast((message) => message.params['code'])?.params['code'];
  if (!code) throw new Error(`no code was texted to ${phone}`);
  return code;
}
