/**
 * Why a roster row was not imported, in words, for the file of rejected rows
 * an admin fixes and uploads again (the web app has the same reasons in its
 * messages for the preview page).
 */
import { isRowProblem, type RowProblem } from './roster-rows.ts';

const REASONS: Record<'zh' | 'en', Record<RowProblem, string>> = {
  zh: {
    MISSING_NAME: '缺少姓名',
    NAME_TOO_LONG: '姓名过长（最多 60 字）',
    INVALID_NAME: '姓名含有无效字符',
    MISSING_PHONE: '缺少手机号',
    INVALID_PHONE: '手机号无效',
    DUPLICATE_IN_FILE: '手机号在文件中重复',
    INVALID_GENDER: '性别无法识别（男/女）',
    INVALID_POLITICAL_STATUS: '政治面貌无法识别',
    INVALID_PARTY_STAGE: '入党阶段无法识别（入党积极分子/发展对象）',
    PARTY_STAGE_NOT_ALLOWED: '党员、预备党员不应有入党阶段',
    WORK_UNIT_TOO_LONG: '工作单位过长（最多 100 字）',
    UNKNOWN_TEAM: '队伍不存在',
    INVALID_SKILLS: '特长技能无效（每项最多 20 字，最多 20 项）',
    INVALID_JOIN_DATE: '入会时间无法识别（如 2018-04-16）',
    JOIN_DATE_IN_FUTURE: '入会时间晚于今天',
    INVALID_EMAIL: '邮箱无效',
  },
  en: {
    MISSING_NAME: 'Name missing',
    NAME_TOO_LONG: 'Name too long (at most 60 characters)',
    INVALID_NAME: 'Name has invalid characters',
    MISSING_PHONE: 'Mobile number missing',
    INVALID_PHONE: 'Not a mobile number',
    DUPLICATE_IN_FILE: 'Mobile number repeated in the file',
    INVALID_GENDER: 'Unknown gender (male/female)',
    INVALID_POLITICAL_STATUS: 'Unknown political status',
    INVALID_PARTY_STAGE: 'Unknown party stage (activist/candidate)',
    PARTY_STAGE_NOT_ALLOWED: 'A party member has no party stage',
    WORK_UNIT_TOO_LONG: 'Work unit too long (at most 100 characters)',
    UNKNOWN_TEAM: 'Unknown team',
    INVALID_SKILLS: 'Invalid skills (each at most 20 characters, at most 20)',
    INVALID_JOIN_DATE: 'Unreadable join date (e.g. 2018-04-16)',
    JOIN_DATE_IN_FUTURE: 'Join date after today',
    INVALID_EMAIL: 'Not an email address',
  },
};

/** One reason: its words and the value at fault ("队伍不存在：黄队"), or the row it repeats. */
export function problemReason(locale: 'zh' | 'en', code: string, value: string, duplicateOf: number | null): string {
  const words = isRowProblem(code) ? REASONS[locale][code] : code;
  if (code === 'DUPLICATE_IN_FILE' && duplicateOf !== null) {
    return locale === 'zh' ? `${words}（同第 ${duplicateOf} 行）` : `${words} (as row ${duplicateOf})`;
  }
  if (!value) return words;
  return locale === 'zh' ? `${words}：${value}` : `${words}: ${value}`;
}
