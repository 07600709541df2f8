/**
 * A local HTTP server standing in for an SMS provider: it records every
 * request exactly as it arrived (method, path, headers, raw body) and answers
 * from a queue the test fills (an error, a hang past the client's timeout),
 * else with the provider's success answer.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type FakeAnswer = { status: number; body: string } | 'hang';

export class FakeSmsProvider {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: FakeAnswer[] = [];
  private readonly hanging = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    private readonly success: () => string,
  ) {}

  static async start(success: () => string): Promise<FakeSmsProvider> {
    const server = createServer();
    const fake = new FakeSmsProvider(server, success);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        fake.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = fake.queue.shift() ?? { status: 200, body: fake.success() };
        if (answer === 'hang') {
          fake.hanging.add(() => response.destroy());
          return;
        }
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${String(port)}/`;
  }

  /** The next answers, in order; after them, success again. */
  answer(...answers: FakeAnswer[]): void {
    this.queue.push(...answers);
  }

  async close(): Promise<void> {
    for (const end of this.hanging) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}

export const ALIYUN_OK = () =>
  JSON.stringify({
    Code: 'OK',
    Message: 'OK',
    BizId: '900619746936498440^0',
    RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990',
  });
export const TENCENT_OK = () =>
  JSON.stringify({
    Response: {
      SendStatusSet: [
        {
          SerialNo: '5000:1045710669157053657849499619',
          PhoneNumber: '+8613711112222',
          Fee: 1,
          Code: 'Ok',
          Message: 'send success',
        },
      ],
      RequestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
    },
  });
