/**
 * How much work one GraphQL operation may ask for, checked before it runs
 * (issue 17): one member's request of 100 aliases of `certificateFile` took
 * 22 s of CPU, and 500 aliases of `hoursLeaderboard(first: 100)` 27 s, while
 * the rate limit counted each as one request.
 *
 * - cost: graphql-query-complexity with the estimator below (an object field
 *   costs 1, a list multiplies what it selects by its page size);
 * - aliases: graphql-armor's max-aliases rule;
 * - root fields and heavy fields (files, exports, batch matching: one per
 *   request): a small rule here, as no maintained rule counts those.
 *
 * - tokens: a document's length, counted before it is parsed.
 *
 * Each refusal is QUERY_TOO_COSTLY with what was measured, its value and the
 * limit. The order matters for how little a bomb costs us: tokens before
 * parsing; aliases, root and heavy fields after parsing and before GraphQL's
 * own validation (which, on 500 aliases, takes 150 ms of CPU by itself); the
 * cost, which depends on variables (`first: $first`), before each execution.
 * The first two run once more before the request's context is made
 * (`assertDocumentWithinLimits`), so that a refused bomb costs no database
 * work either: the context's first statement finds the session's account.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { FastifyReply } from 'fastify';
import {
  GraphQLError,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  parse,
  specifiedRules,
  typeFromAST,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../shared/cursor.ts';
import { withoutSuggestions } from './graphql-responses.ts';

/** The web app's longest operation has under 200 (query-limits.test.ts); 500 aliases of one field have 10,000. */
export const MAX_TOKENS = 3_000;
/** A busy screen costs a few hundred (see query-limits.test.ts, which runs every operation of the web app). */
export const MAX_QUERY_COST = 5_000;
/** The web app's operations use at most a handful (a report's three groupings). */
export const MAX_ALIASES = 15;
export const MAX_ROOT_FIELDS = 15;
/** Fields that render a file or match in bulk: one per request. */
export const MAX_HEAVY_FIELDS = 1;

/**
 * Root fields that do heavy work (a PDF, a workbook, an export, the batch
 * matching of every waiting child): `Type.field`.
 */
export const HEAVY_FIELDS: ReadonlySet<string> = new Set([
  'Query.certificateFile',
  'Query.hoursReportFile',
  'Query.stationReportFile',
  'Query.childExport',
  'Query.batchSuggestion',
  'Mutation.exportRoster',
  'Mutation.applyRosterImport',
  'Query.organizationExportFile',
  'Mutation.startOrganizationExport',
  'Mutation.setCertificateSeal',
]);

/** What a heavy field costs on its own, on top of what it selects. */
const HEAVY_FIELD_COST = 500;

/** The size assumed for a list field with no `first` argument (server-side lists are bounded, see below). */
const DEFAULT_LIST_SIZE = 20;

/** Lists whose size is known, or bounded by the server, when smaller or larger than the default. */
const LIST_SIZES: Readonly<Record<string, number>> = {
  'Organization.teams': 7,
  'Member.teams': 7,
  'Board.teams': 7,
  'Board.today': 12,
  'Board.trend': 12,
  'OrganizationHours.lastTwelveMonths': 12,
  'Query.teamHours': 7,
  // The triage queue answers at most 200.
  'Query.helpRequests': 200,
  'Activity.signUps': 50,
  // A record's corrections and a request's history: a few each.
  'ServiceRecord.corrections': 5,
  'HelpRequest.history': 10,
  'RequestPublicStatus.history': 10,
};

/** Objects that are values of their parent (read with it, no row or loader of their own): free. */
const VALUE_TYPES: ReadonlySet<string> = new Set([
  'LocalizedText',
  'PageInfo',
  'StarLevel',
  'ServiceRecordValues',
  'Recurrence',
  'StationCategoryCount',
]);

export type QueryLimitMeasure = 'tokens' | 'cost' | 'aliases' | 'rootFields' | 'heavyFields';

/** The error of a refused operation: QUERY_TOO_COSTLY, with what was measured, its value and the limit. */
export function queryTooCostly(measure: QueryLimitMeasure, cost: number, limit: number): GraphQLError {
  const what = {
    tokens: 'has tokens numbering',
    cost: 'costs',
    aliases: 'has aliases numbering',
    rootFields: 'has root fields numbering',
    heavyFields: 'asks for files, exports or batch matching numbering',
  }[measure];
  return new GraphQLError(`The operation ${what} ${cost}; the limit is ${limit}. Split it into smaller requests.`, {
    extensions: { code: 'QUERY_TOO_COSTLY', measure, cost, limit },
  });
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The page size a list field asks for: its `first`, the length of a list argument (`ids`), or the assumed size. */
function listSize(coordinate: string, args: Record<string, unknown>): number {
  const first = args.first;
  if (typeof first === 'number') return Math.max(1, first);
  for (const value of Object.values(args)) if (Array.isArray(value)) return Math.max(1, value.length);
  return LIST_SIZES[coordinate] ?? DEFAULT_LIST_SIZE;
}

/**
 * A scalar costs nothing; an object (a row or a loader call) costs 1 and what
 * it selects, times its page size when it is a list or a connection (its
 * `first`). A connection's `nodes` are counted by the connection's `first`.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const fieldType = getNamedType(field.type);
  if (!isCompositeType(fieldType)) return 0;
  const coordinate = `${type.name}.${field.name}`;
  const own = HEAVY_FIELDS.has(coordinate) ? HEAVY_FIELD_COST : VALUE_TYPES.has(fieldType.name) ? 0 : 1;
  const pagedByParent = field.name === 'nodes' && /(Connection|Page)$/.test(type.name);
  const takesFirst = field.args.some((argument) => argument.name === 'first');
  const multiplier = pagedByParent || (!isList(field.type) && !takesFirst) ? 1 : listSize(coordinate, args);
  return own + multiplier * childComplexity;
};

/** The cost of the operation `operationName` (every operation of the document if not named). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string,
): number {
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      estimators: [costEstimator],
      ...(operationName ? { operationName } : {}),
    });
  } catch (error) {
    // Past 10,000 selections graphql-query-complexity stops counting (Infinity: refused below).
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return Infinity;
    throw error;
  }
}

/**
 * A request refused before execution. It carries its GraphQL errors as
 * mercurius' own validation error does, so the error formatter shows them as
 * it shows validation errors.
 */
export class QueryRefused extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors[0]?.message ?? 'Query refused.');
  }
}

/** Throws QUERY_TOO_COSTLY when the operation costs more than the limit. */
export function assertAffordable(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string,
): void {
  const cost = operationCost(schema, document, variables, operationName);
  if (cost > MAX_QUERY_COST) throw new QueryRefused([queryTooCostly('cost', cost, MAX_QUERY_COST)]);
}

/** The operation a GraphQL request names (POST body or GET query), to cost only that one of its document. */
export function requestedOperationName(reply: FastifyReply | undefined): string | undefined {
  const source = reply?.request.method === 'GET' ? reply.request.query : reply?.request.body;
  if (typeof source !== 'object' || source === null || !('operationName' in source)) return undefined;
  return typeof source.operationName === 'string' ? source.operationName : undefined;
}

/** Root fields of an operation (fragments spread at the root included) and how many of them are heavy. */
function rootFieldCounts(
  context: ValidationContext,
  rootTypeName: string,
  selectionSet: SelectionSetNode,
  seen = new Set<string>(),
): { fields: number; heavy: number } {
  let fields = 0;
  let heavy = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      fields++;
      if (HEAVY_FIELDS.has(`${rootTypeName}.${selection.name.value}`)) heavy++;
      continue;
    }
    let inner: SelectionSetNode | undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) inner = selection.selectionSet;
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      inner = context.getFragment(selection.name.value)?.selectionSet;
    }
    if (inner) {
      const counts = rootFieldCounts(context, rootTypeName, inner, seen);
      fields += counts.fields;
      heavy += counts.heavy;
    }
  }
  return { fields, heavy };
}

/** At most MAX_ROOT_FIELDS root fields and MAX_HEAVY_FIELDS heavy ones per operation. */
export const rootFieldsRule: ValidationRule = (context): ASTVisitor => ({
  OperationDefinition(operation) {
    const rootType = context.getSchema().getRootType(operation.operation);
    if (!rootType) return;
    const { fields, heavy } = rootFieldCounts(context, rootType.name, operation.selectionSet);
    if (fields > MAX_ROOT_FIELDS) context.reportError(queryTooCostly('rootFields', fields, MAX_ROOT_FIELDS));
    if (heavy > MAX_HEAVY_FIELDS) context.reportError(queryTooCostly('heavyFields', heavy, MAX_HEAVY_FIELDS));
  },
});

/** graphql-armor's alias count, reported as QUERY_TOO_COSTLY instead of its own error. */
const aliasesRule: ValidationRule = (context) =>
  maxAliasesRule({
    n: MAX_ALIASES,
    propagateOnRejection: false,
    onReject: [
      (_context, error) => {
        const found = /found (\d+)/.exec(error instanceof Error ? error.message : '');
        context.reportError(queryTooCostly('aliases', Number(found?.[1] ?? MAX_ALIASES + 1), MAX_ALIASES));
      },
    ],
  })(context);

/** The rules of the limits that depend on the document alone. */
export const queryLimitRules: ValidationRule[] = [aliasesRule, rootFieldsRule];

/** Characters that end a name (anything but _, 0–9, A–Z, a–z). */
function isNameContinue(code: number): boolean {
  return code === 95 || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Tokens of a document (GraphQL's lexical tokens: punctuators, names,
 * numbers, strings; whitespace, commas and comments are not tokens), counted
 * up to one past `limit`. A scan of character codes that allocates nothing:
 * graphql-js' Lexer, which makes an object per token, took over a millisecond
 * for the 3,000 tokens of every bomb refused by this count, which made a bomb
 * sent in a loop slow everyone else. What is not GraphQL ends the count; the
 * parser says why. query-limits.test.ts holds it to the Lexer's count.
 */
export function countTokens(source: string, limit = MAX_TOKENS): number {
  const length = source.length;
  let tokens = 0;
  let at = 0;
  while (at < length && tokens <= limit) {
    const code = source.charCodeAt(at);
    // Ignored: BOM, tab, newline, carriage return, space, comma; a comment to the end of its line.
    if (code === 0xfeff || code === 9 || code === 10 || code === 13 || code === 32 || code === 44) {
      at++;
    } else if (code === 35) {
      while (at < length && source.charCodeAt(at) !== 10 && source.charCodeAt(at) !== 13) at++;
    } else if (code === 34) {
      tokens++;
      if (source.startsWith('"""', at)) {
        // A block string: to the next """ not escaped as \""".
        at += 3;
        for (;;) {
          const end = source.indexOf('"""', at);
          if (end < 0) return tokens;
          if (source.charCodeAt(end - 1) === 92) at = end + 3;
          else {
            at = end + 3;
            break;
          }
        }
      } else {
        // A string: to the next unescaped ", on one line.
        at++;
        for (;;) {
          if (at >= length) return tokens;
          const inner = source.charCodeAt(at);
          if (inner === 10 || inner === 13) return tokens;
          if (inner === 92) at += 2;
          else if (inner === 34) {
            at++;
            break;
          } else at++;
        }
      }
    } else if (code === 46) {
      // Only a spread (...) begins with a dot.
      if (!source.startsWith('...', at)) return tokens;
      tokens++;
      at += 3;
    } else if (
      code === 33 ||
      code === 36 ||
      code === 38 ||
      code === 40 ||
      code === 41 ||
      code === 58 ||
      code === 61 ||
      code === 64 ||
      code === 91 ||
      code === 93 ||
      code === 123 ||
      code === 124 ||
      code === 125
    ) {
      // ! $ & ( ) : = @ [ ] { | }
      tokens++;
      at++;
    } else if (code === 45 || (code >= 48 && code <= 57)) {
      // A number: -?digits, then a fraction and an exponent; one token, as the Lexer reads it.
      tokens++;
      at++;
      while (at < length) {
        const inner = source.charCodeAt(at);
        const sign = (inner === 43 || inner === 45) && (source.charCodeAt(at - 1) | 32) === 101;
        if ((inner >= 48 && inner <= 57) || inner === 46 || (inner | 32) === 101 || sign) at++;
        else break;
      }
    } else if (code === 95 || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
      tokens++;
      at++;
      while (at < length && isNameContinue(source.charCodeAt(at))) at++;
    } else {
      return tokens;
    }
  }
  return tokens;
}

/** Before parsing: refuses a document of more than MAX_TOKENS tokens. */
export function assertShortEnough(source: string): void {
  const tokens = countTokens(source);
  if (tokens > MAX_TOKENS) throw new QueryRefused([queryTooCostly('tokens', tokens, MAX_TOKENS)]);
}

/** After parsing, before GraphQL's own validation: aliases, root fields and heavy fields. */
export function assertWithinShape(schema: GraphQLSchema, document: DocumentNode): void {
  const errors = validate(schema, document, queryLimitRules);
  if (errors.length > 0) throw new QueryRefused(errors);
}

/** Documents found within the shape limits, parsed, per schema, oldest first: the web app's are parsed once here. */
const acceptedDocuments = new WeakMap<GraphQLSchema, Map<string, DocumentNode>>();
const ACCEPTED_DOCUMENTS_KEPT = 1_000;

/**
 * Before a request's context is made (graphql.ts): the limits that depend on
 * the document alone — tokens, then aliases, root fields and heavy fields —
 * and the cost with the request's variables. A document that is not GraphQL,
 * or whose variables do not fit it, passes here: mercurius says why. True when
 * the cost was checked (preExecution then need not check it again).
 */
export function assertDocumentWithinLimits(
  schema: GraphQLSchema,
  source: string,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): boolean {
  let accepted = acceptedDocuments.get(schema);
  if (!accepted) {
    accepted = new Map();
    acceptedDocuments.set(schema, accepted);
  }
  let document = accepted.get(source);
  if (!document) {
    assertShortEnough(source);
    try {
      document = parse(source, { noLocation: true });
    } catch {
      return false;
    }
    assertWithinShape(schema, document);
    accepted.set(source, document);
    if (accepted.size > ACCEPTED_DOCUMENTS_KEPT) {
      const [oldest] = accepted.keys();
      if (oldest !== undefined) accepted.delete(oldest);
    }
  }
  let cost: number;
  try {
    cost = operationCost(schema, document, variables, operationName);
  } catch {
    // Not valid for this schema or these variables: GraphQL's validation says how.
    return false;
  }
  if (cost > MAX_QUERY_COST) throw new QueryRefused([queryTooCostly('cost', cost, MAX_QUERY_COST)]);
  return true;
}

/** A value of `type` for costing: Int at the largest page (`first` is clamped to it), lists of one, anything else a placeholder. */
function worstCaseValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return worstCaseValue(type.ofType);
  if (isListType(type)) return [worstCaseValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, worstCaseValue(field.type)]),
    );
  }
  if (!isScalarType(type)) return null;
  return type.name === 'Int' ? MAX_PAGE_SIZE : type.name === 'Float' ? 1 : type.name === 'Boolean' ? true : '';
}

/**
 * A subscription sent over the WebSocket (graphql.ts' preSubscriptionExecution
 * hook): mercurius neither validates it nor gives the hook its variables. So
 * the shape limits first (cheap), then GraphQL's own validation, then the
 * cost with every variable at its costliest (a page size at the largest page).
 * Throws the GraphQLError to send: QUERY_TOO_COSTLY, or GRAPHQL_VALIDATION
 * (without schema hints when `production`).
 */
export function assertSubscriptionWithinLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  production: boolean,
): void {
  const [refused] = validate(schema, document, queryLimitRules);
  if (refused) throw refused;
  const [invalid] = validate(schema, document, specifiedRules);
  if (invalid) {
    const message = production ? withoutSuggestions(invalid.message) : invalid.message;
    throw new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION' } });
  }
  const variables: Record<string, unknown> = {};
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      if (type) variables[variable.variable.name.value] = worstCaseValue(type);
    }
  }
  const cost = operationCost(schema, document, variables);
  if (cost > MAX_QUERY_COST) throw queryTooCostly('cost', cost, MAX_QUERY_COST);
}

/** Before a subscription's document is used: its tokens (mercurius has parsed it already: see graphql.ts). */
export function assertSubscriptionShortEnough(source: string): void {
  const tokens = countTokens(source);
  if (tokens > MAX_TOKENS) throw queryTooCostly('tokens', tokens, MAX_TOKENS);
}
