/**
 * How GraphQL answers are written (issue 17): no schema hints in production,
 * and the GraphQL-over-HTTP media types.
 */

/**
 * GraphQL's validation suggests names it knows ('Did you mean "organization"?'),
 * which maps the schema for anyone even with introspection off. Production
 * answers without them.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}
