/**
 * A real SMTP server (smtp-server) for the browser tests' server to send its
 * email to, with an HTTP inbox beside it: a test reads what arrived at an
 * address from GET /inbox?to=<address> (the codes people type), as fake-sms.ts
 * does for SMS. The test files run apart from the global setup that starts it.
 */
import { simpleParser } from 'mailparser';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface FakeMail {
  /** SMTP_URL for the server under test. */
  smtpUrl: string;
  /** Where the test files read the inbox. */
  inboxUrl: string;
  close(): Promise<void>;
}

export async function startFakeMail(): Promise<FakeMail> {
  const inbox: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push({
            to: [mail.to].flat().flatMap((to) => to?.value.map((address) => address.address ?? '') ?? []),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const http: Server = createServer((request, response) => {
    const to = new URL(request.url ?? '/', 'http://fake').searchParams.get('to') ?? '';
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(inbox.filter((mail) => mail.to.includes(to))));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${String(smtpPort)}`,
    inboxUrl: `http://127.0.0.1:${String(httpPort)}/`,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => {
        http.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        smtp.close(resolve);
      });
    },
  };
}

/** The mail that arrived at an address, oldest first. */
export async function mailsTo(inboxUrl: string, address: string): Promise<ReceivedMail[]> {
  const response = await fetch(`${inboxUrl}inbox?to=${encodeURIComponent(address)}`);
  return (await response.json()) as ReceivedMail[];
}

/** The 6-digit code in the latest mail to an address. */
export async function latestMailCode(inboxUrl: string, address: string): Promise<string> {
  const mail = (await mailsTo(inboxUrl, address)).at(-1);
  const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
  if (!code) throw new Error(`no code was mailed to ${address}`);
  return code;
}
