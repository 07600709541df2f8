/**
 * What each row of a roster file does to the roster — create, update, leave
 * unchanged or reject, and why — decided the same way for the preview and, in
 * the apply transaction, against the roster as it is by then. Rows are matched
 * to members by mobile number, so importing a file twice never duplicates.
 */
import type { Gender, PartyStage, PoliticalStatus, RosterImportOutcome, Team, TeamColour } from '@qicai/db';
import {
  lengthOf,
  LIST_SEPARATORS,
  nameProblem,
  normalizeCell,
  normalizeName,
  parseEmail,
  parseGender,
  parseJoinDate,
  parseMobile,
  parsePartyStage,
  parseSkills,
  readPoliticalStatus,
  settleStage,
  WORK_UNIT_MAX_LENGTH,
} from './profile.ts';
import type { ImportMatch } from './repository.ts';
import type { RosterField } from './roster-file.ts';

/** The rows of a roster file as the rules read them (roster-file.ts readRoster, or as stored for the apply). */
export interface RowsToEvaluate {
  rows: readonly { rowNumber: number; cells: Partial<Record<RosterField, string>> }[];
}

/** Why a row is rejected, and the column whose value is at fault. */
export const ROW_PROBLEM_FIELDS = {
  MISSING_NAME: 'name',
  NAME_TOO_LONG: 'name',
  INVALID_NAME: 'name',
  MISSING_PHONE: 'phone',
  INVALID_PHONE: 'phone',
  DUPLICATE_IN_FILE: 'phone',
  INVALID_GENDER: 'gender',
  INVALID_POLITICAL_STATUS: 'politicalStatus',
  INVALID_PARTY_STAGE: 'partyStage',
  PARTY_STAGE_NOT_ALLOWED: 'partyStage',
  WORK_UNIT_TOO_LONG: 'workUnit',
  UNKNOWN_TEAM: 'teams',
  INVALID_SKILLS: 'skills',
  INVALID_JOIN_DATE: 'joinDate',
  JOIN_DATE_IN_FUTURE: 'joinDate',
  INVALID_EMAIL: 'email',
} as const satisfies Record<string, RosterField>;
export type RowProblem = keyof typeof ROW_PROBLEM_FIELDS;

export function isRowProblem(code: string): code is RowProblem {
  return Object.hasOwn(ROW_PROBLEM_FIELDS, code);
}

/** A row's values as they go into the roster; a field is absent when the file has no column for it (or, for the join date and stage, leaves it empty). */
export interface RowValues {
  displayName: string;
  phone: string;
  gender?: Gender | null;
  politicalStatus?: PoliticalStatus;
  partyStage?: PartyStage | null;
  workUnit?: string | null;
  teamIds?: string[];
  skills?: string[];
  /** YYYY-MM-DD. */
  joinedOn?: string;
  email?: string | null;
}

export interface EvaluatedRow {
  rowNumber: number;
  cells: Partial<Record<RosterField, string>>;
  outcome: RosterImportOutcome;
  problems: RowProblem[];
  /** For each problem, the value at fault: the cell as written, or the part of it that did not match. */
  problemValues: string[];
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

/** What offices put after a team's name: 红色旗帜志愿服务队, 红队, Red Banner Volunteer Team. Longest first. */
const TEAM_SUFFIXES = [
  '志愿者服务队',
  '志愿服务队',
  '志愿者队',
  '志愿队',
  '服务队',
  '小分队',
  '分队',
  '队',
  'volunteerserviceteam',
  'volunteerteam',
  'serviceteam',
  'team',
];

function teamKey(text: string): string {
  return normalizeCell(text).toLowerCase().replace(/\s+/g, '');
}

function withoutSuffix(key: string): string {
  const suffix = TEAM_SUFFIXES.find((candidate) => key.endsWith(candidate) && key.length > candidate.length);
  return suffix ? key.slice(0, -suffix.length) : key;
}

/** How a file may name a team: its colour (红, 红色, 红队, Red, Red team) or its name in either language, each with or without 志愿服务队 / 服务队 / 队. */
export function teamAliases(teams: Team[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const team of teams) {
    const { zh, en } = COLOUR_WORDS[team.colour];
    for (const alias of [zh, `${zh}色`, en, team.nameZh, team.nameEn]) {
      const key = teamKey(alias);
      aliases.set(key, team.id);
      aliases.set(withoutSuffix(key), team.id);
    }
  }
  return aliases;
}

function findTeam(aliases: Map<string, string>, text: string): string | undefined {
  const key = teamKey(text);
  return key ? (aliases.get(key) ?? aliases.get(withoutSuffix(key))) : undefined;
}

/**
 * The teams a cell names, several separated by 、，,;；／/ or spaces; a part
 * is first matched whole (English names have spaces), then word by word.
 */
export function readTeams(text: string, aliases: Map<string, string>): { teamIds: string[]; unknown: string[] } {
  const teamIds: string[] = [];
  const unknown: string[] = [];
  for (const part of normalizeCell(text).split(LIST_SEPARATORS)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const whole = findTeam(aliases, trimmed);
    if (whole) {
      teamIds.push(whole);
      continue;
    }
    for (const word of trimmed.split(/\s+/)) {
      const id = findTeam(aliases, word);
      if (id) teamIds.push(id);
      else unknown.push(word);
    }
  }
  return { teamIds: [...new Set(teamIds)], unknown };
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

class Problems {
  readonly codes: RowProblem[] = [];
  readonly values: string[] = [];
  add(code: RowProblem, value: string) {
    this.codes.push(code);
    this.values.push(value);
  }
}

/** Reads one row's cells into roster values, collecting every problem. Every cell is normalised first (profile.ts normalizeCell). */
function readRow(
  original: Partial<Record<RosterField, string>>,
  aliases: Map<string, string>,
  today: string,
): { values: RowValues; problems: Problems } {
  const problems = new Problems();
  const cells = Object.fromEntries(
    Object.entries(original).map(([field, text]) => [field, normalizeCell(text)]),
  ) as Partial<Record<RosterField, string>>;
  const raw = (field: RosterField) => original[field] ?? '';

  const displayName = normalizeName(cells.name ?? '');
  const nameIssue = nameProblem(displayName);
  if (nameIssue === 'REQUIRED') problems.add('MISSING_NAME', '');
  else if (nameIssue === 'TOO_LONG') problems.add('NAME_TOO_LONG', raw('name'));
  else if (nameIssue === 'INVALID_NAME') problems.add('INVALID_NAME', raw('name'));

  const phoneText = cells.phone ?? '';
  const phone = parseMobile(phoneText);
  if (!phoneText) problems.add('MISSING_PHONE', '');
  else if (!phone) problems.add('INVALID_PHONE', raw('phone'));

  const values: RowValues = { displayName, phone: phone ?? '' };
  if (cells.gender !== undefined) {
    const gender = cells.gender ? parseGender(cells.gender) : null;
    if (gender === undefined) problems.add('INVALID_GENDER', raw('gender'));
    values.gender = gender ?? null;
  }
  if (cells.politicalStatus) {
    const reading = readPoliticalStatus(cells.politicalStatus);
    if (reading.unknown !== null) problems.add('INVALID_POLITICAL_STATUS', reading.unknown);
    else {
      if (reading.status) values.politicalStatus = reading.status;
      if (reading.stage) values.partyStage = reading.stage;
    }
  }
  if (cells.partyStage) {
    const stage = parsePartyStage(cells.partyStage);
    if (!stage) problems.add('INVALID_PARTY_STAGE', raw('partyStage'));
    else values.partyStage = stage;
  }
  if (cells.workUnit !== undefined) {
    const workUnit = normalizeName(cells.workUnit);
    if (lengthOf(workUnit) > WORK_UNIT_MAX_LENGTH) problems.add('WORK_UNIT_TOO_LONG', raw('workUnit'));
    values.workUnit = workUnit || null;
  }
  if (cells.teams !== undefined) {
    const { teamIds, unknown } = readTeams(cells.teams, aliases);
    if (unknown.length > 0) problems.add('UNKNOWN_TEAM', unknown.join('、'));
    values.teamIds = teamIds;
  }
  if (cells.skills !== undefined) {
    const { skills, valid } = parseSkills(cells.skills);
    if (!valid) problems.add('INVALID_SKILLS', raw('skills'));
    values.skills = skills;
  }
  if (cells.joinDate) {
    const joinedOn = parseJoinDate(cells.joinDate);
    if (!joinedOn) problems.add('INVALID_JOIN_DATE', raw('joinDate'));
    else if (joinedOn > today) problems.add('JOIN_DATE_IN_FUTURE', raw('joinDate'));
    else values.joinedOn = joinedOn;
  }
  if (cells.email !== undefined) {
    const email = cells.email ? parseEmail(cells.email) : null;
    if (cells.email && !email) problems.add('INVALID_EMAIL', raw('email'));
    values.email = email;
  }
  return { values, problems };
}

/** The fields a row would change on its member (the teams they lead are kept whatever the file says). */
function changesTo(member: ImportMatch, values: RowValues): string[] {
  const changes: string[] = [];
  if (values.displayName !== member.displayName) changes.push('displayName');
  if (values.gender !== undefined && values.gender !== member.gender) changes.push('gender');
  if (values.politicalStatus !== undefined && values.politicalStatus !== member.politicalStatus) {
    changes.push('politicalStatus');
  }
  if (values.partyStage !== undefined && values.partyStage !== member.partyStage) changes.push('partyStage');
  if (values.workUnit !== undefined && values.workUnit !== member.workUnit) changes.push('workUnit');
  if (values.teamIds && !sameSet([...values.teamIds, ...member.ledTeamIds], member.teamIds)) changes.push('teams');
  if (values.skills && !sameList(values.skills, member.skills)) changes.push('skills');
  if (values.joinedOn !== undefined && values.joinedOn !== member.joinedOn) changes.push('joinDate');
  if (values.email !== undefined && values.email !== member.email) changes.push('email');
  return changes;
}

/** The mobile numbers of a table's rows that read as such (to look their members up). */
export function phonesOf(table: RowsToEvaluate): string[] {
  return [...new Set(table.rows.flatMap((row) => parseMobile(row.cells.phone ?? '') ?? []))];
}

/** The status a new member gets when the file says none (as the profile form does). */
const NO_MEMBER = { politicalStatus: 'MASSES', partyStage: null } as const;

/**
 * Decides every row. A phone seen on an earlier row makes a later row a
 * duplicate, whatever else is wrong with either. `today` (the organization's
 * date) bounds join dates.
 */
export function evaluateRows(
  table: RowsToEvaluate,
  teams: Team[],
  matches: ImportMatch[],
  today: string,
): EvaluatedRow[] {
  const aliases = teamAliases(teams);
  const byPhone = new Map(matches.map((member) => [member.phone, member]));
  const firstRowOf = new Map<string, number>();
  return table.rows.map(({ rowNumber, cells }) => {
    const { values, problems } = readRow(cells, aliases, today);
    let duplicateOf: number | null = null;
    if (values.phone) {
      const first = firstRowOf.get(values.phone);
      if (first === undefined) firstRowOf.set(values.phone, rowNumber);
      else {
        duplicateOf = first;
        problems.add('DUPLICATE_IN_FILE', cells.phone ?? '');
      }
    }
    const member = values.phone ? byPhone.get(values.phone) : undefined;
    // A stage beside a party member's status is refused; becoming a member ends the stage.
    const stage = settleStage(member ?? NO_MEMBER, values);
    if (stage === 'NOT_ALLOWED')
      problems.add('PARTY_STAGE_NOT_ALLOWED', cells.partyStage || cells.politicalStatus || '');
    else if (stage !== undefined) values.partyStage = stage;
    const rejected = { problems: problems.codes, problemValues: problems.values };
    if (problems.codes.length > 0) {
      return {
        rowNumber,
        cells,
        outcome: 'REJECT',
        ...rejected,
        changes: [],
        memberId: null,
        duplicateOf,
        values: null,
      };
    }
    const changes = member ? changesTo(member, values) : [];
    const outcome: RosterImportOutcome = !member ? 'CREATE' : changes.length > 0 ? 'UPDATE' : 'UNCHANGED';
    return { rowNumber, cells, outcome, ...rejected, changes, memberId: member?.id ?? null, duplicateOf, values };
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
