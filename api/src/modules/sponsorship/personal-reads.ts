/**
 * Every read of a child's personal fields is written to the audit log (rule
 * 12): who, when, which child and which fields — the names of the fields,
 * never their values, so that a deleted child leaves nothing personal behind.
 *
 * Reads are collected per request and written in one statement once the
 * resolvers of the same round have asked (a list of fifty children is one
 * INSERT). A resolver returns personal data only after its entry is written.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { insertAuditEntries } from './repository.ts';

export const PERSONAL_READ = 'child.personal_read';

/** How the fields were reached, kept with the entry. */
export type ReadPath = 'child' | 'matching' | 'visit' | 'sponsor_view';

interface Batch {
  reads: Map<string, { fields: Set<string>; paths: Set<ReadPath> }>;
  written: Promise<void>;
}

const batches = new WeakMap<RequestContext, Batch>();

export function auditPersonalRead(
  ctx: RequestContext,
  childIds: readonly string[],
  fields: readonly string[],
  path: ReadPath,
): Promise<void> {
  if (childIds.length === 0 || fields.length === 0) return Promise.resolve();
  const orgId = requireOrganization(ctx).id;
  let batch = batches.get(ctx);
  if (!batch) {
    const reads: Batch['reads'] = new Map();
    const written = new Promise<void>((resolve, reject) => {
      // After the current round of resolvers: their reads share one statement.
      setImmediate(() => {
        batches.delete(ctx);
        const entries = [...reads].map(([childId, read]) => ({
          orgId,
          actorAccountId: ctx.account?.id ?? null,
          action: PERSONAL_READ,
          subjectType: 'child',
          subjectId: childId,
          detail: { fields: [...read.fields].sort(), via: [...read.paths].sort() },
        }));
        ctx.tenant((tx) => insertAuditEntries(tx, entries)).then(resolve, reject);
      });
    });
    batch = { reads, written };
    batches.set(ctx, batch);
  }
  for (const childId of childIds) {
    const read = batch.reads.get(childId) ?? { fields: new Set<string>(), paths: new Set<ReadPath>() };
    for (const field of fields) read.fields.add(field);
    read.paths.add(path);
    batch.reads.set(childId, read);
  }
  return batch.written;
}

/** The names of the fields selected below the field being resolved, through fragments, sorted. */
export function selectedFields(info: GraphQLResolveInfo): string[] {
  const names = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) names.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        collect(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet);
  return [...names].sort();
}

/** GraphQL fields of ChildPersonal → the stored fields they reveal. */
const CHILD_PERSONAL_SOURCES: Record<string, string[]> = {
  fullName: ['familyName', 'givenName'],
  age: ['dateOfBirth'],
};

/** GraphQL fields of SponsoredChild → the stored fields they reveal (id, since and totals are the sponsorship's). */
const SPONSORED_CHILD_SOURCES: Record<string, string[]> = {
  givenName: ['givenName'],
  age: ['dateOfBirth'],
  grade: ['grade'],
  needs: ['needs'],
  updates: ['update.body'],
};

/** The stored personal fields a selection of ChildPersonal reads. */
export function childPersonalFieldsRead(selected: readonly string[]): string[] {
  return [...new Set(selected.flatMap((field) => CHILD_PERSONAL_SOURCES[field] ?? [field]))].sort();
}

/** The stored personal fields a selection of SponsoredChild reads. */
export function sponsoredChildFieldsRead(selected: readonly string[]): string[] {
  return [...new Set(selected.flatMap((field) => SPONSORED_CHILD_SOURCES[field] ?? []))].sort();
}

/** Every personal field of a child, as the audit log names them. */
export const ALL_PERSONAL_FIELDS = [
  'familyName',
  'givenName',
  'gender',
  'dateOfBirth',
  'township',
  'village',
  'school',
  'grade',
  'circumstances',
  'circumstanceNote',
  'needs',
  'guardianName',
  'guardianRelation',
  'guardianPhone',
] as const;

/** What matching reads of a child to rank and explain. */
export const MATCHING_FIELDS = ['circumstances', 'dateOfBirth', 'gender', 'township'] as const;
