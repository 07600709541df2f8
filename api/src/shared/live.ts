/** Live events (GraphQL subscriptions), as modules publish them; plugins/pubsub.ts carries them. */

export interface LiveEvent {
  /** Always begins with the organization (`org:<id>:…`), so no event reaches another organization's subscribers. */
  topic: string;
  payload: unknown;
}

/** The topic of an organization's events of one kind about one subject. */
export function liveTopic(orgId: string, kind: string, subjectId: string): string {
  return `org:${orgId}:${kind}:${subjectId}`;
}
