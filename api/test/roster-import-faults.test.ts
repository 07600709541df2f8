/**
 * The roster import when things go wrong: an apply whose database connection
 * is cut half-way (through a TCP proxy the test controls), two applies of the
 * same import at once, a preview gone stale because another import changed
 * the same members, and uploads the route must refuse in the API's coded
 * error shape.
 */
import { postgresReachable } from '@qicai/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPhone, generateRoster } from '../../scripts/bench/roster-data.ts';
import { MAX_IMPORT_BYTES } from '../src/modules/members/imports.ts';
import { errorCode, TestApp, type Client, type GraphQLResponse } from './helper.ts';
import {
  applyImport,
  countMembers,
  importView,
  previewRoster,
  rosterSnapshot,
  uploadRoster,
  workbook,
  type ImportView,
} from './members-seed.ts';
import { TcpProxy } from './tcp-proxy.ts';

const APPLY = `mutation ($id: ID!) { applyRosterImport(id: $id) { id status createCount updateCount progressDone failureCode } }`;

function applyRequest(client: Client, id: string) {
  return client.gql<{ applyRosterImport: ImportView }>(APPLY, { id });
}

describe('roster import: races, stale previews and refused uploads', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ phone: '13800000021' });
    orgId = (await admin.createOrganization('岳阳县七彩之光志愿者协会')).id;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('applies an import once when it is applied twice at the same moment', async () => {
    const generated = generateRoster(2_000, false);
    const preview = await previewRoster(admin, workbook(generated.rows), '同时导入.xlsx');
    const before = await countMembers(testApp, orgId);
    const answers = await Promise.all([applyRequest(admin, preview.id), applyRequest(admin, preview.id)]);
    const applied = answers.filter((answer) => answer.data?.applyRosterImport.status === 'APPLIED');
    const refused = answers.filter((answer) => errorCode(answer) === 'IMPORT_NOT_READY');
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(await countMembers(testApp, orgId)).toBe(before + 2_000);
    // And once applied, never again.
    expect(errorCode(await applyRequest(admin, preview.id))).toBe('IMPORT_NOT_READY');
    expect(await importView(admin, preview.id)).toMatchObject({ status: 'APPLIED', progressDone: 2_000 });
  });

  it('tells the admin a preview has gone stale when another import changed the same members, and applies nothing', async () => {
    const header = ['姓名', '手机号', '工作单位'];
    const first = await previewRoster(
      admin,
      workbook([
        header,
        ['欧阳春华', generatedPhone(900_001), '县人民医院'],
        ['谭建军', generatedPhone(900_002), '县教育局'],
      ]),
    );
    expect(await applyImport(admin, first.id)).toMatchObject({ status: 'APPLIED', createCount: 2 });
    // Two admins preview changes to the same member; the other one applies first.
    const mine = await previewRoster(admin, workbook([header, ['欧阳春华', generatedPhone(900_001), '县中医医院']]));
    const theirs = await previewRoster(
      admin,
      workbook([
        header,
        ['欧阳春华', generatedPhone(900_001), '县卫生健康局'],
        ['谭建军', generatedPhone(900_002), '县司法局'],
      ]),
    );
    expect(mine).toMatchObject({ updateCount: 1 });
    expect(await applyImport(admin, theirs.id)).toMatchObject({ status: 'APPLIED', updateCount: 2 });
    const before = await rosterSnapshot(testApp, orgId);
    const refused = await applyRequest(admin, mine.id);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'IMPORT_STALE', staleRows: 1, firstStaleRow: 2 });
    expect(await rosterSnapshot(testApp, orgId)).toBe(before);
    expect(await importView(admin, mine.id)).toMatchObject({ status: 'READY', progressDone: 0 });
    // Uploaded again, the file previews against the roster as it is now, and applies.
    const again = await previewRoster(admin, workbook([header, ['欧阳春华', generatedPhone(900_001), '县中医医院']]));
    expect(await applyImport(admin, again.id)).toMatchObject({ status: 'APPLIED', updateCount: 1 });

    // A new member in both files: whoever comes second would now update, not create.
    const newcomer = [header, ['龙晓燕', generatedPhone(900_003), '团县委']];
    const late = await previewRoster(admin, workbook(newcomer));
    const early = await previewRoster(admin, workbook(newcomer));
    expect(await applyImport(admin, early.id)).toMatchObject({ status: 'APPLIED', createCount: 1 });
    expect(errorCode(await applyRequest(admin, late.id))).toBe('IMPORT_STALE');
  });

  it('answers an over-size file, a wrong content type and a malformed file name in the coded error shape', async () => {
    const tooLarge = await admin.post('/imports/roster', Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x41), {
      'content-type': 'application/octet-stream',
      'x-file-name': 'big.csv',
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({
      errors: [{ message: expect.any(String) as string, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });

    const wrongType = await admin.post('/imports/roster', Buffer.from('姓名,手机号\n张三,13800000022\n'), {
      'content-type': 'text/csv',
      'x-file-name': 'roster.csv',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json<GraphQLResponse>().errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });

    for (const name of ['%E4%B8', '%', 'roster%ZZ.xlsx']) {
      const malformed = await uploadRosterNamed(admin, name);
      expect(malformed.statusCode, name).toBe(400);
      expect(malformed.json<GraphQLResponse>().errors?.[0]?.extensions, name).toEqual({
        code: 'VALIDATION',
        fields: { fileName: 'MALFORMED' },
      });
    }
    // A name sent as percent-encoded UTF-8 is read back as such.
    const named = await uploadRoster(
      admin,
      workbook([
        ['姓名', '手机号'],
        ['张三', '13800000023'],
      ]),
      '岳阳县花名册.xlsx',
    );
    const view = await admin.gql<{ organization: { rosterImport: { fileName: string } } }>(
      `query ($id: ID!) { organization { rosterImport(id: $id) { fileName } } }`,
      { id: named.data?.id },
    );
    expect(view.data?.organization.rosterImport.fileName).toBe('岳阳县花名册.xlsx');
  });
});

function uploadRosterNamed(client: Client, fileName: string) {
  return client.post(
    '/imports/roster',
    workbook([
      ['姓名', '手机号'],
      ['张三', '13800000024'],
    ]),
    {
      'content-type': 'application/octet-stream',
      'x-file-name': fileName,
    },
  );
}

const postgresUp = await postgresReachable();

describe.skipIf(!postgresUp && !process.env['CI'])(
  'roster import: the connection cut half-way through an apply',
  () => {
    let direct: TestApp;
    let proxied: TestApp;
    let proxy: TcpProxy;
    let admin: Client;
    let orgId: string;

    beforeAll(async () => {
      direct = await TestApp.start();
      const url = new URL(direct.databaseUrl ?? '');
      proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
      proxied = await direct.siblingThrough(proxy.urlFor(url.toString()));
      admin = await direct.signUp({ phone: '13800000031' });
      orgId = (await admin.createOrganization('岳阳县七彩之光志愿者协会')).id;
    });
    afterAll(async () => {
      await proxied.close();
      await direct.close();
      await proxy.close();
    });

    it('leaves nothing applied, shows no progress that was rolled back, and applies again at once', async () => {
      const generated = generateRoster(20_000, false);
      const preview = await previewRoster(admin, workbook(generated.rows), '断线导入.xlsx');
      expect(preview.createCount).toBe(20_000);
      const before = await rosterSnapshot(direct, orgId);

      // Applied through the instance behind the proxy; watched from the other, which sees its progress.
      const applying = applyRequest(admin.on(proxied), preview.id);
      let seen: ImportView | undefined;
      for (let attempt = 0; attempt < 5_000; attempt++) {
        seen = await importView(admin, preview.id);
        if (seen.status === 'APPLYING' && seen.progressDone > 0) break;
      }
      expect(seen).toMatchObject({ status: 'APPLYING' });
      expect(seen?.progressDone).toBeGreaterThan(0);
      expect(seen?.progressDone).toBeLessThan(20_000);
      proxy.cut();
      const cut = await applying;
      expect(cut.data?.applyRosterImport.status ?? errorCode(cut)).not.toBe('APPLIED');

      // The server rolls the transaction back once it notices the connection is gone (at the end of the
      // statement it was running): from then on the import is ready again, with no progress.
      let after: ImportView | undefined;
      for (let attempt = 0; attempt < 5_000; attempt++) {
        after = await importView(admin, preview.id);
        if (after.status !== 'APPLYING') break;
      }
      expect(after).toMatchObject({ progressDone: 0 });
      expect(['READY', 'FAILED']).toContain(after?.status);
      expect(await rosterSnapshot(direct, orgId)).toBe(before);

      const again = await applyImport(admin, preview.id);
      expect(again).toMatchObject({ status: 'APPLIED', createCount: 20_000, progressDone: 20_000 });
      expect(await countMembers(direct, orgId)).toBe(1 + 20_000);
    });

    it('applies once when two instances apply the same import at the same moment', async () => {
      const rows = generateRoster(3_000, false).rows.map((row, index) =>
        index === 0 ? row : [row[0] ?? '', generatedPhone(500_000 + index), ...row.slice(2)],
      );
      const preview = await previewRoster(admin, workbook(rows), '两台同时导入.xlsx');
      const before = await countMembers(direct, orgId);
      const answers = await Promise.all([applyRequest(admin, preview.id), applyRequest(admin.on(proxied), preview.id)]);
      expect(answers.filter((answer) => answer.data?.applyRosterImport.status === 'APPLIED')).toHaveLength(1);
      expect(answers.filter((answer) => errorCode(answer) === 'IMPORT_NOT_READY')).toHaveLength(1);
      expect(await countMembers(direct, orgId)).toBe(before + 3_000);
    });
  },
);
