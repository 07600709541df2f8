/**
 * A domain's texts in both languages. The English must have exactly the keys
 * of the Chinese, so no text can be missing in either.
 */
export function defineMessages<const Keys extends string>(
  zh: Record<Keys, string>,
  en: Record<NoInfer<Keys>, string>,
): { zh: Record<Keys, string>; en: Record<Keys, string> } {
  return { zh, en };
}
