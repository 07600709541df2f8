import { buildApp, loadConfig } from '@qicai/api';
import { openDatabase } from '@qicai/db';
const log: string[] = [];
let on = false;
let t0 = 0;
const database = await openDatabase({
  url: 'postgres://postgres@127.0.0.1:5432/qicai_bench',
  onQuery: (q) => {
    if (on) log.push(`${(performance.now() - t0).toFixed(1)} ${q.replace(/\s+/g, ' ').slice(0, 150)}`);
  },
});
const app = await buildApp({
  config: loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', APP_SECRET: 'x'.repeat(40) }),
  database,
});
const login = process.argv[3] ?? '13700000000';
const r = await app.inject({
  method: 'POST',
  url: '/graphql',
  headers: { 'content-type': 'application/json' },
  payload: {
    query: `mutation { signIn(input: { login: "${login}", password: "bench-password-1" }) { account { id } } }`,
  },
});
const cookie = String(r.headers['set-cookie']).split(';')[0];
const payload = JSON.parse(process.argv[2] ?? '{}');
const run = () =>
  app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', cookie, 'x-qicai-org': 'bench-county' },
    payload,
  });
for (let i = 0; i < 5; i++) await run();
const times: number[] = [];
for (let i = 0; i < 20; i++) {
  const s = performance.now();
  await run();
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log('median', times[10]?.toFixed(1), 'min', times[0]?.toFixed(1));
on = true;
t0 = performance.now();
const res = await run();
console.log((performance.now() - t0).toFixed(1), res.body.slice(0, 120));
on = false;
console.log(log.join('\n'));
await app.close();
await database.close();
