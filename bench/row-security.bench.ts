/**
 * What PostgreSQL row-level security costs the registers: the same repository calls on the same data,
 * (a) as a superuser, which no policy holds (the cost without the wall), and (b) as the server's role
 * under the policies, each statement in a transaction that sets the row scope first.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npm run bench:row-security
 *
 * Needs a superuser URL (it creates the deployment's roles when absent, and a database it drops at
 * the end). Seeds 1 district, 10 streets, 100 communities, 1,000 grids and RESIDENTS residents
 * (default 300,000) with SQL, then times each call RUNS times (median and 90th percentile, ms).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import { yearsBefore } from '@shiliuzi/shared/dates';
import { ageBandStarts } from '@shiliuzi/shared/statistics';
import { openDatabase, type Database } from '../server/src/db/database.ts';
import { runAsSystem, runInSubtree } from '../server/src/db/row-security.ts';
import type { OrgScope } from '../server/src/db/scope.ts';
import { newId } from '../server/src/lib/ids.ts';
import { residentRepository } from '../server/src/modules/residents/resident.repository.ts';
import { statisticsRepository } from '../server/src/modules/statistics/statistics.repository.ts';
import { createTestDatabase, databaseUrl } from '../server/test/test-database.ts';

const adminUrl = process.env.BENCH_DATABASE_URL;
if (!adminUrl) throw new Error('BENCH_DATABASE_URL (a superuser URL) is required');
process.env.TEST_DATABASE_URL = adminUrl;
const RESIDENTS = Number(process.env.RESIDENTS ?? 300_000);
const RUNS = Number(process.env.RUNS ?? 30);

interface Unit {
  id: string;
  path: string;
  type: string;
  streetId: string | null;
}

async function seed(database: Database): Promise<Unit[]> {
  const db = database.db;
  const now = new Date().toISOString();
  const units: Unit[] = [];
  const add = (type: string, parent: Unit | null, code: string) => {
    const id = newId();
    const unit: Unit = {
      id,
      path: `${parent?.path ?? '/'}${id}/`,
      type,
      streetId: type === 'street' ? id : (parent?.streetId ?? null),
    };
    units.push(unit);
    return { ...unit, code, parent };
  };
  const rows: Record<string, unknown>[] = [];
  const push = (u: ReturnType<typeof add>) =>
    rows.push({
      id: u.id,
      code: u.code,
      name: u.code,
      type: u.type,
      parentId: u.parent?.id ?? null,
      path: u.path,
      depth: u.path.split('/').length - 3,
      streetId: u.streetId,
      createdAt: now,
      updatedAt: now,
    });
  const district = add('district', null, 'D');
  push(district);
  for (let s = 0; s < 10; s++) {
    const street = add('street', district, `S${s}`);
    push(street);
    for (let c = 0; c < 10; c++) {
      const community = add('community', street, `S${s}C${c}`);
      push(community);
      for (let g = 0; g < 10; g++) push(add('grid', community, `S${s}C${c}G${g}`));
    }
  }
  await runAsSystem(async () => {
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('orgUnit')
        .values(rows.slice(i, i + 500) as never)
        .execute();
    }
    const grids = units.filter((u) => u.type === 'grid');
    // Resident i lives in grid i mod 1,000, as if registered over time; 9 in 10 are Han (01).
    await sql`
      insert into resident (id, org_unit_id, street_id, name, gender, ethnicity_code, birth_date,
                            residence_type, created_at, updated_at)
      select gen_random_uuid(), g.id, g.street_id,
             (array['王','李','张','刘','陈','马','杨'])[1 + i % 7] || (array['芳','伟','娜','强','敏'])[1 + i % 5] || (i % 97)::text,
             case when i % 2 = 0 then 'male' else 'female' end,
             case when i % 10 = 0 then lpad((2 + i % 55)::text, 2, '0') else '01' end,
             date '1940-01-01' + (i % 25000), 'registered', now(), now()
      from generate_series(0, ${RESIDENTS - 1}) i
      join unnest(${grids.map((g) => g.id)}::uuid[], ${grids.map((g) => g.streetId)}::uuid[])
           with ordinality as g(id, street_id, n) on g.n = 1 + i % ${grids.length}`.execute(db);
    await sql`analyze`.execute(db);
  });
  return units;
}

async function time(work: () => Promise<unknown>): Promise<{ median: number; p90: number }> {
  for (let i = 0; i < 3; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(2));
  return { median: at(0.5), p90: at(0.9) };
}

const page: PageQuery = { page: 1, pageSize: 50, order: 'asc' };
const asOf = new Date().toISOString().slice(0, 10);

async function main() {
  const t = await createTestDatabase();
  const url = new URL(t.url!);
  const superuser = openDatabase({
    dataDir: '',
    databaseUrl: databaseUrl(adminUrl!, url.pathname.slice(1), new URL(adminUrl!).username),
    operator: true,
  });
  const server = openDatabase({ dataDir: '', databaseUrl: t.url });
  try {
    const seedStart = performance.now();
    const units = await seed(t.database);
    console.log(`seeded ${RESIDENTS} residents in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const street = units.find((u) => u.type === 'street')!;
    const community = units.find((u) => u.type === 'community')!;
    const grid = units.find((u) => u.type === 'grid')!;
    const cases: [string, Unit, OrgScope][] = [
      ['list a grid (page of 50 + count)', grid, { path: grid.path, leafUnitId: grid.id }],
      ['list a community (page of 50 + count)', community, { path: community.path }],
      ['list a community, minority only', community, { path: community.path }],
      ['count a street by ethnicity', street, { path: street.path }],
      ['count a community by age band', community, { path: community.path }],
    ];
    const call = (name: string, db: Database, scope: OrgScope) => {
      if (name.startsWith('list') && name.includes('minority'))
        return residentRepository.findResidents(db.db, scope, { minority: true }, 'name', page);
      if (name.startsWith('list')) return residentRepository.findResidents(db.db, scope, {}, 'name', page);
      if (name.includes('ethnicity'))
        return statisticsRepository.countResidentsByEthnicity(db.db, scope, asOf);
      return statisticsRepository.countResidentsByAgeBand(
        db.db,
        scope,
        asOf,
        ageBandStarts.map((start) => yearsBefore(asOf, start)),
      );
    };
    const results = [];
    for (const [name, unit, scope] of cases) {
      const withoutWall = await time(() => call(name, superuser, scope) as Promise<unknown>);
      const walled = await time(() =>
        runInSubtree(unit.path, () => call(name, server, scope) as Promise<unknown>),
      );
      const same =
        JSON.stringify(await call(name, superuser, scope)) ===
        JSON.stringify(await runInSubtree(unit.path, () => call(name, server, scope) as Promise<unknown>));
      results.push({ name, withoutWall, walled, same });
      console.log(
        `${name.padEnd(40)} superuser ${withoutWall.median} ms (p90 ${withoutWall.p90})   ` +
          `server under RLS ${walled.median} ms (p90 ${walled.p90})   same answer: ${same}`,
      );
    }
    // The wall alone, without the round trips: the statements' own run time in EXPLAIN ANALYZE.
    const explain = async (db: Database, scopePath: string | undefined, text: string) => {
      const run = async () => {
        const { rows } = await sql<{
          'QUERY PLAN': unknown;
        }>`${sql.raw(`explain (analyze, format json) ${text}`)}`.execute(db.db);
        return (rows[0]!['QUERY PLAN'] as [{ 'Execution Time': number }])[0]['Execution Time'];
      };
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await (scopePath ? runInSubtree(scopePath, run) : run()));
      samples.sort((a, b) => a - b);
      return Number(samples[Math.floor(samples.length / 2)]!.toFixed(2));
    };
    const countStreet = `select ethnicity_code, count(*) from resident where deleted_at is null and org_unit_id in (select id from org_unit where path like '${street.path}%' and deleted_at is null) group by 1`;
    const countDistrict = `select ethnicity_code, count(*) from resident where deleted_at is null group by 1`;
    console.log(
      `EXPLAIN ANALYZE, a street's count by ethnicity: superuser ${await explain(superuser, undefined, countStreet)} ms, under RLS ${await explain(server, street.path, countStreet)} ms`,
    );
    const district = units[0]!;
    console.log(
      `EXPLAIN ANALYZE, the whole district's count by ethnicity: superuser ${await explain(superuser, undefined, countDistrict)} ms, under RLS ${await explain(server, district.path, countDistrict)} ms`,
    );
    console.log(JSON.stringify({ residents: RESIDENTS, runs: RUNS, results }));
  } finally {
    await superuser.destroy();
    await server.destroy();
    await t.cleanup();
  }
}

await main();
