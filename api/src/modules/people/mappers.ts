export interface ViewerParent {
  account: import('@qicai/db').Account;
}

/** Where a code or link went (people/service.ts codeSent). */
export interface CodeSentParent {
  channel: 'SMS' | 'EMAIL';
  sentTo: string;
  expiresInMinutes: number;
}

/** One of the viewer's sessions (its token's hash never leaves the API). */
export interface AccountSessionParent {
  startedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  current: boolean;
}
