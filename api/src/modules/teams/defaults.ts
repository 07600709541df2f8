import type { TeamColour } from '@qicai/db';

export interface TeamDefaults {
  nameZh: string;
  nameEn: string;
  missionZh: string;
  missionEn: string;
}

/**
 * The names and missions a new organization's teams start with. The article
 * names red, green and white; the other four follow its activities
 * (DESIGN.md). Every organization may rename them.
 */
export const DEFAULT_TEAMS: Record<TeamColour, TeamDefaults> = {
  RED: {
    nameZh: '红色旗帜',
    nameEn: 'Red Banner',
    missionZh: '送党课下乡，把党的理论和政策讲到村组和社区。',
    missionEn: 'Party lectures taken to the villages: policy and theory explained where people live.',
  },
  GREEN: {
    nameZh: '绿色卫士',
    nameEn: 'Green Guardians',
    missionZh: '保护环境，清理河道与公共空间，宣传垃圾分类。',
    missionEn: 'Environmental protection: clean rivers and public spaces, promote waste sorting.',
  },
  WHITE: {
    nameZh: '白色天使',
    nameEn: 'White Angels',
    missionZh: '义诊、健康讲座和无偿献血。',
    missionEn: 'Free clinics, health talks and blood donation.',
  },
  ORANGE: {
    nameZh: '橙色救援',
    nameEn: 'Orange Rescue',
    missionZh: '应急救援，抗击冰雪与洪涝灾害。',
    missionEn: 'Emergency relief in snowstorms, floods and other disasters.',
  },
  PURPLE: {
    nameZh: '紫色关怀',
    nameEn: 'Purple Care',
    missionZh: '走访慰问老人、抗战老兵和困难群众。',
    missionEn: 'Visits to the elderly, veterans and families in hardship.',
  },
  GOLD: {
    nameZh: '金色童心',
    nameEn: 'Golden Childhood',
    missionZh: '关爱留守儿童，组织一对一帮扶。',
    missionEn: 'Care for left-behind children and one-to-one sponsorship.',
  },
  BLUE: {
    nameZh: '蓝色心语',
    nameEn: 'Blue Counsel',
    missionZh: '法律咨询与心理疏导。',
    missionEn: 'Legal advice and psychological counselling.',
  },
};
