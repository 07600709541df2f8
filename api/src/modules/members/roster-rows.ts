/**
 * What each row of a roster file does to the roster — create, update, leave
 * unchanged or reject, and why — decided the same way for the preview and, in
 * the apply transaction, against the roster as it is by then. Rows are matched
 * to members by mobile number, so importing a file twice never duplicates.
 */
import type { Gender, MemberCategory, RosterImportOutcome, Team, TeamColour } from '@qicai/db';
import {
  lengthOf,
  LIST_SEPARATORS,
  nameProblem,
  normalizeName,
  parseCategory,
  parseEmail,
  parseGender,
  parseMobile,
  parseSkills,
  WORK_UNIT_MAX_LENGTH,
} from './profile.ts';
import type { ImportMatch } from './repository.ts';
import type { RosterField, RosterTable } from './roster-file.ts';

/** Why a row is rejected. */
export type RowProblem =
  | 'MISSING_NAME'
  | 'NAME_TOO_LONG'
  | 'INVALID_NAME'
  | 'MISSING_PHONE'
  | 'INVALID_PHONE'
  | 'DUPLICATE_IN_FILE'
  | 'INVALID_GENDER'
  | 'INVALID_CATEGORY'
  | 'WORK_UNIT_TOO_LONG'
  | 'UNKNOWN_TEAM'
  | 'INVALID_SKILLS'
  | 'INVALID_EMAIL';

/** A row's values as they go into the roster; a field is absent when the file has no column for it. */
export interface RowValues {
  displayName: string;
  phone: string;
  gender?: Gender | null;
  category?: MemberCategory;
  workUnit?: string | null;
  teamIds?: string[];
  skills?: string[];
  email?: string | null;
}

export interface EvaluatedRow {
  rowNumber: number;
  cells: Partial<Record<RosterField, string>>;
  outcome: RosterImportOutcome;
  problems: RowProblem[];
  /** For an UPDATE: the fields that change. */
  changes: string[];
  memberId: string | null;
  duplicateOf: number | null;
  values: RowValues | null;
}

const COLOUR_WORDS: Record<TeamColour, { zh: string; en: string }> = {
  RED: { zh: '红', en: 'red' },
  GREEN: { zh: '绿', en: 'green' },
  WHITE: { zh: '白', en: 'white' },
  ORANGE: { zh: '橙', en: 'orange' },
  PURPLE: { zh: '紫', en: 'purple' },
  GOLD: { zh: '金', en: 'gold' },
  BLUE: { zh: '蓝', en: 'blue' },
};

function teamKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** How a file may name a team: its colour (红, 红队, 红色, Red, Red team) or its name in either language. */
export function teamAliases(teams: Team[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const team of teams) {
    const { zh, en } = COLOUR_WORDS[team.colour];
    for (const alias of [zh, `${zh}队`, `${zh}色`, `${zh}色队`, en, `${en} team`, team.nameZh, team.nameEn]) {
      aliases.set(teamKey(alias), team.id);
    }
  }
  return aliases;
}

/** Whether an export can write this team by its name (else it writes the colour, which always reads back). */
export function nameReadsBack(name: string): boolean {
  return !LIST_SEPARATORS.test(name);
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  const set = new Set(left);
  return set.size === new Set(right).size && right.every((item) => set.has(item));
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

/** Reads one row's cells into roster values, collecting every problem. */
function readRow(
  cells: Partial<Record<RosterField, string>>,
  aliases: Map<string, string>,
): { values: RowValues; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const displayName = normalizeName(cells.name ?? '');
  const nameIssue = nameProblem(displayName);
  if (nameIssue === 'REQUIRED') problems.push('MISSING_NAME');
  else if (nameIssue === 'TOO_LONG') problems.push('NAME_TOO_LONG');
  else if (nameIssue === 'INVALID_NAME') problems.push('INVALID_NAME');

  const phoneText = cells.phone ?? '';
  const phone = parseMobile(phoneText);
  if (!phoneText) problems.push('MISSING_PHONE');
  else if (!phone) problems.push('INVALID_PHONE');

  const values: RowValues = { displayName, phone: phone ?? '' };
  if (cells.gender !== undefined) {
    const gender = cells.gender ? parseGender(cells.gender) : null;
    if (gender === undefined) problems.push('INVALID_GENDER');
    values.gender = gender ?? null;
  }
  if (cells.category) {
    const category = parseCategory(cells.category);
    if (!category) problems.push('INVALID_CATEGORY');
    else values.category = category;
  }
  if (cells.workUnit !== undefined) {
    const workUnit = normalizeName(cells.workUnit);
    if (lengthOf(workUnit) > WORK_UNIT_MAX_LENGTH) problems.push('WORK_UNIT_TOO_LONG');
    values.workUnit = workUnit || null;
  }
  if (cells.teams !== undefined) {
    const names = cells.teams.split(LIST_SEPARATORS).map(teamKey).filter(Boolean);
    const teamIds = names.map((name) => aliases.get(name));
    if (teamIds.some((id) => id === undefined)) problems.push('UNKNOWN_TEAM');
    values.teamIds = [...new Set(teamIds.filter((id) => id !== undefined))];
  }
  if (cells.skills !== undefined) {
    const { skills, valid } = parseSkills(cells.skills);
    if (!valid) problems.push('INVALID_SKILLS');
    values.skills = skills;
  }
  if (cells.email !== undefined) {
    const email = cells.email ? parseEmail(cells.email) : null;
    if (cells.email && !email) problems.push('INVALID_EMAIL');
    values.email = email;
  }
  return { values, problems };
}

/** The fields a row would change on its member (the teams they lead are kept whatever the file says). */
function changesTo(member: ImportMatch, values: RowValues): string[] {
  const changes: string[] = [];
  if (values.displayName !== member.displayName) changes.push('displayName');
  if (values.gender !== undefined && values.gender !== member.gender) changes.push('gender');
  if (values.category !== undefined && values.category !== member.category) changes.push('category');
  if (values.workUnit !== undefined && values.workUnit !== member.workUnit) changes.push('workUnit');
  if (values.teamIds && !sameSet([...values.teamIds, ...member.ledTeamIds], member.teamIds)) changes.push('teams');
  if (values.skills && !sameList(values.skills, member.skills)) changes.push('skills');
  if (values.email !== undefined && values.email !== member.email) changes.push('email');
  return changes;
}

/** The mobile numbers of a table's rows that read as such (to look their members up). */
export function phonesOf(table: RosterTable): string[] {
  return [...new Set(table.rows.flatMap((row) => parseMobile(row.cells.phone ?? '') ?? []))];
}

/** Decides every row. A phone seen on an earlier row makes a later row a duplicate, whatever else is wrong with either. */
export function evaluateRows(table: RosterTable, teams: Team[], matches: ImportMatch[]): EvaluatedRow[] {
  const aliases = teamAliases(teams);
  const byPhone = new Map(matches.map((member) => [member.phone, member]));
  const firstRowOf = new Map<string, number>();
  return table.rows.map(({ rowNumber, cells }) => {
    const { values, problems } = readRow(cells, aliases);
    let duplicateOf: number | null = null;
    if (values.phone) {
      const first = firstRowOf.get(values.phone);
      if (first === undefined) firstRowOf.set(values.phone, rowNumber);
      else {
        duplicateOf = first;
        problems.push('DUPLICATE_IN_FILE');
      }
    }
    const member = values.phone ? byPhone.get(values.phone) : undefined;
    if (problems.length > 0) {
      return { rowNumber, cells, outcome: 'REJECT', problems, changes: [], memberId: null, duplicateOf, values: null };
    }
    const changes = member ? changesTo(member, values) : [];
    const outcome: RosterImportOutcome = !member ? 'CREATE' : changes.length > 0 ? 'UPDATE' : 'UNCHANGED';
    return { rowNumber, cells, outcome, problems, changes, memberId: member?.id ?? null, duplicateOf, values };
  });
}

export interface OutcomeCounts {
  create: number;
  update: number;
  unchanged: number;
  reject: number;
}

export function countOutcomes(rows: EvaluatedRow[]): OutcomeCounts {
  const counts: OutcomeCounts = { create: 0, update: 0, unchanged: 0, reject: 0 };
  for (const row of rows) {
    if (row.outcome === 'CREATE') counts.create++;
    else if (row.outcome === 'UPDATE') counts.update++;
    else if (row.outcome === 'UNCHANGED') counts.unchanged++;
    else counts.reject++;
  }
  return counts;
}
