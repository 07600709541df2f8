import type { Locale } from '$lib/i18n';
import type { Api } from '$lib/server/api';

declare global {
  namespace App {
    interface Error {
      message: string;
      /** The API's error code, when the error came from it. */
      code?: string;
    }
    interface Locals {
      /** The language the person chose with the switch (a cookie), if any. */
      chosenLocale: Locale | null;
      /** The signed-in account's language, if it has one (read by the root layout). */
      accountLocale: Locale | null;
      /** The language of the page: chosen, else the account's, else the organization's, else the browser's. Set by layouts. */
      locale: Locale;
      api: Api;
    }
  }
}

export {};
