import { defineMessages } from './define';

export const people = defineMessages(
  {
    'role.ADMIN': '管理员',
    'role.LEAD': '队长',
    'role.MEMBER': '队员',
    'category.PARTY_MEMBER': '党员',
    'category.ACTIVIST': '入党积极分子',
    'category.CITIZEN': '群众',
  },
  {
    'role.ADMIN': 'Admin',
    'role.LEAD': 'Team lead',
    'role.MEMBER': 'Member',
    'category.PARTY_MEMBER': 'Party member',
    'category.ACTIVIST': 'Party activist',
    'category.CITIZEN': 'Citizen',
  },
);
