/** Every domain's texts. A new domain adds its file here. */
import { accounts } from './accounts';
import { activities } from './activities';
import { certificates } from './certificates';
import { common } from './common';
import { dashboard } from './dashboard';
import { hours } from './hours';
import { members } from './members';
import { notifications } from './notifications';
import { organizations } from './organizations';
import { people } from './people';
import { requests } from './requests';
import { sponsorship } from './sponsorship';
import { stations } from './stations';
import { teams } from './teams';

export const zh = {
  ...common.zh,
  ...organizations.zh,
  ...people.zh,
  ...accounts.zh,
  ...teams.zh,
  ...members.zh,
  ...activities.zh,
  ...notifications.zh,
  ...sponsorship.zh,
  ...hours.zh,
  ...certificates.zh,
  ...requests.zh,
  ...dashboard.zh,
  ...stations.zh,
};
export const en: Record<MessageKey, string> = {
  ...common.en,
  ...organizations.en,
  ...people.en,
  ...accounts.en,
  ...teams.en,
  ...members.en,
  ...activities.en,
  ...notifications.en,
  ...sponsorship.en,
  ...hours.en,
  ...certificates.en,
  ...requests.en,
  ...dashboard.en,
  ...stations.en,
};

export type MessageKey = keyof typeof zh;

type Domain = { zh: Record<string, string> };

/**
 * `true` when no key is defined by two domains, else the keys defined twice.
 * A spread lets the later domain win silently: the join requests' empty list
 * once said the public requests' "没有需求。", and their decline button "不予受理".
 */
type DisjointKeys<Domains extends readonly Domain[], Seen extends string = never> = Domains extends readonly [
  infer First extends Domain,
  ...infer Rest extends readonly Domain[],
]
  ? [Extract<keyof First['zh'], Seen>] extends [never]
    ? DisjointKeys<Rest, Seen | Extract<keyof First['zh'], string>>
    : { definedTwice: Extract<keyof First['zh'], Seen> }
  : true;

// Fails to type-check (naming the keys) when two domains define the same key; the list is the spreads' above.
const everyKeyOnce: DisjointKeys<
  [
    typeof common,
    typeof organizations,
    typeof people,
    typeof accounts,
    typeof teams,
    typeof members,
    typeof activities,
    typeof notifications,
    typeof sponsorship,
    typeof hours,
    typeof certificates,
    typeof requests,
    typeof dashboard,
    typeof stations,
  ]
> = true;
export const messageKeysDisjoint = everyKeyOnce;
