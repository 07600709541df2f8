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
