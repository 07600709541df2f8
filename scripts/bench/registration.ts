/**
 * Accounts for the benchmarks, made through the real registration: a code is
 * sent to the phone (`startRegistration`) and confirmed (`confirmRegistration`).
 * A server without an SMS provider writes each message to its log instead
 * (api/src/plugins/delivery.ts, at `warn`): `LoggedCodes` reads them from the
 * server's output, passing every line on.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

interface LoggedMessage {
  msg?: string;
  kind?: string;
  recipient?: string;
  text?: string;
}

export class LoggedCodes {
  readonly #codes = new Map<string, string>();
  readonly #waiting = new Map<string, (code: string) => void>();

  /** Reads `output` (the server's stdout) line by line, writing each line on to `forward`. */
  constructor(output: Readable, forward: Writable) {
    createInterface({ input: output }).on('line', (line) => {
      forward.write(`${line}\n`);
      if (!line.includes('VERIFICATION_CODE')) return;
      let message: LoggedMessage;
      try {
        message = JSON.parse(line) as LoggedMessage;
      } catch {
        return;
      }
      const code = /\b(\d{6})\b/.exec(message.text ?? '')?.[1];
      if (message.kind !== 'VERIFICATION_CODE' || !message.recipient || !code) return;
      this.#codes.set(message.recipient, code);
      this.#waiting.get(message.recipient)?.(code);
    });
  }

  /** The latest code sent to a recipient, waiting for it up to `timeoutMs`. */
  async code(recipient: string, timeoutMs = 30_000): Promise<string> {
    const known = this.#codes.get(recipient);
    if (known) return known;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(recipient);
        reject(new Error(`no code was logged for ${recipient}`));
      }, timeoutMs);
      this.#waiting.set(recipient, (code) => {
        clearTimeout(timer);
        this.#waiting.delete(recipient);
        resolve(code);
      });
    });
  }
}

type Gql = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

/** Registers an account with a phone and signs it in (the client keeps the session cookie). */
export async function registerAccount(
  gql: Gql,
  account: { displayName: string; phone: string; password: string },
  codeFor: (recipient: string) => Promise<string>,
): Promise<void> {
  await gql(`mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`, { input: account });
  const code = await codeFor(account.phone);
  await gql(`mutation ($input: ConfirmRegistrationInput!) { confirmRegistration(input: $input) { account { id } } }`, {
    input: { login: account.phone, code },
  });
}
