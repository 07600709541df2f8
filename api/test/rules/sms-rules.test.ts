/** What both SMS providers require of a message's parameters (delivery/sms-rules.ts). */
import { describe, expect, it } from 'vitest';
import { e164Mainland, fitTemplateParams, SMS_PARAM_MAX_LENGTH } from '../../src/delivery/sms-rules.ts';

describe('SMS template parameters', () => {
  it('keeps values of up to 35 characters as they are, counting a Chinese character as one', () => {
    const exactly = '岳'.repeat(SMS_PARAM_MAX_LENGTH);
    expect(fitTemplateParams({ code: '493817', title: exactly })).toEqual({ code: '493817', title: exactly });
  });

  it('cuts a longer value to 35 characters ending in an ellipsis, a link never', () => {
    const title = '岳阳县七彩之光志愿者协会红色旗帜志愿服务队送党课下乡暨新时代文明实践活动（第三期）';
    const link = `https://qicai.example.cn/invite/${'A'.repeat(43)}`;
    const fitted = fitTemplateParams({ title, link });
    expect(Array.from(fitted['title'] ?? '')).toHaveLength(SMS_PARAM_MAX_LENGTH);
    expect(fitted['title']).toBe(`${Array.from(title).slice(0, 34).join('')}…`);
    expect(fitted['link']).toBe(link);
  });

  it('keeps the parameters in their order (Tencent Cloud fills {1}, {2}, … by it)', () => {
    expect(Object.values(fitTemplateParams({ organization: '七彩', link: 'https://x.cn/i/1', minutes: '10' }))).toEqual(
      ['七彩', 'https://x.cn/i/1', '10'],
    );
  });

  it('writes a mainland number in E.164 once', () => {
    expect(e164Mainland('13800000001')).toBe('+8613800000001');
    expect(e164Mainland('+8613800000001')).toBe('+8613800000001');
  });
});
