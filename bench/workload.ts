/**
 * What the benchmark asks: the org tree and users (made through the app's services), and the query
 * series (a)–(d), each as HTTP paths and as the SQL the repositories issue for the same parameters.
 */
import { yearsBefore } from '@shiliuzi/shared/dates';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import { ageBandStarts } from '@shiliuzi/shared/statistics';
import type { Role } from '@shiliuzi/shared/registry';
import type { Database } from '../server/src/db/database.ts';
import { cliActor } from '../server/src/lib/actor.ts';
import { createResidentFactory } from '../server/src/modules/demo/demo-data.ts';
import { mulberry32 } from '../server/src/modules/demo/random.ts';
import { orgUnitRepository } from '../server/src/modules/org-units/org-unit.repository.ts';
import { orgUnitService } from '../server/src/modules/org-units/org-unit.service.ts';
import { residentRepository } from '../server/src/modules/residents/resident.repository.ts';
import { toResidentFilter } from '../server/src/modules/residents/resident.service.ts';
import type { OrgScope } from '../server/src/db/scope.ts';
import { statisticsRepository } from '../server/src/modules/statistics/statistics.repository.ts';
import { userService } from '../server/src/modules/users/user.service.ts';
import { createCaptureDb, type CapturedQuery } from './sql-capture.ts';

export const STREETS = 10;
export const COMMUNITIES_PER_STREET = 10;
export const GRIDS_PER_COMMUNITY = 10;
export const BENCH_PASSWORD = 'Bench@2026pw';

export interface OrgTree {
  district: OrgUnit;
  communities: OrgUnit[];
  /** In creation order: grid g belongs to community floor(g / GRIDS_PER_COMMUNITY). */
  grids: OrgUnit[];
}

/** 1 district, 10 streets, 100 communities, 1,000 grids, through the org-unit service in one transaction. */
export async function createOrgTree(database: Database): Promise<OrgTree> {
  return database.db.transaction().execute(async (trx) => {
    const add = (code: string, name: string, type: OrgUnit['type'], parentId: string | null) =>
      orgUnitService.createOrgUnit(trx, cliActor, { code, name, type, parentId });
    const two = (n: number) => String(n + 1).padStart(2, '0');
    const district = await add('BD', '基准区', 'district', null);
    const communities: OrgUnit[] = [];
    const grids: OrgUnit[] = [];
    for (let s = 0; s < STREETS; s++) {
      const street = await add(`BD-S${two(s)}`, `第${s + 1}街道`, 'street', district.id);
      for (let c = 0; c < COMMUNITIES_PER_STREET; c++) {
        const code = `${street.code}-C${two(c)}`;
        const community = await add(code, `${street.name}第${c + 1}社区`, 'community', street.id);
        communities.push(community);
        for (let g = 0; g < GRIDS_PER_COMMUNITY; g++) {
          grids.push(
            await add(`${code}-G${two(g)}`, `${community.name}第${g + 1}网格`, 'grid', community.id),
          );
        }
      }
    }
    return { district, communities, grids };
  });
}

export async function createUser(database: Database, username: string, role: Role, orgUnitId: string) {
  await userService.createUser(
    database.db,
    cliActor,
    {
      username,
      password: BENCH_PASSWORD,
      roles: [role],
      orgUnitId,
    },
    { mustChangePassword: false },
  );
}

/** Logs in over HTTP and returns the session cookie (`shiliuzi_session=…`). */
export async function login(origin: string, username: string): Promise<string> {
  const response = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login of ${username} failed: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('shiliuzi_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

export interface Series {
  key: string;
  label: string;
  /** What the HTTP line measures and what the SQL line runs. */
  http: string;
  sql: string;
  paths: string[];
  /** Per path, the statements the repositories issue, grouped as the app runs them concurrently. */
  steps: CapturedQuery[][][];
  /** Goal on the HTTP median, when the issue sets one (community worker only). */
  goalMs?: number;
  /** The HTTP figures are those of another series (same requests). */
  httpOf?: string;
}

export interface SeriesOptions {
  dialect: 'sqlite' | 'postgres';
  tree: OrgTree;
  rows: number;
  seed: number;
  /** The community the worker belongs to, or undefined for the district admin. */
  community: OrgUnit | undefined;
  variations: number;
  withGoals: boolean;
}

const pageOf50 = { page: 1, pageSize: 50, order: 'asc' as const };

/** The query series for one user, with parameters drawn from residents inside that user's scope. */
export async function buildSeries(options: SeriesOptions): Promise<Series[]> {
  const { tree, rows, community } = options;
  const gridCount = tree.grids.length;
  const factory = createResidentFactory(options.seed);
  const random = mulberry32(community ? 7 : 11);
  const pick = (n: number) => Math.floor(random() * n);
  const scopePath = community?.path ?? tree.district.path;
  const communityIndex = community ? tree.communities.indexOf(community) : -1;
  const today = new Date().toISOString().slice(0, 10);
  const { capture } = createCaptureDb(options.dialect);

  /** A random resident in scope: its index in the seeding order and its grid. */
  const sampleResident = () => {
    for (;;) {
      const grid = community
        ? communityIndex * GRIDS_PER_COMMUNITY + pick(GRIDS_PER_COMMUNITY)
        : pick(gridCount);
      const index = grid + pick(Math.ceil(rows / gridCount)) * gridCount;
      if (index < rows) return { resident: factory('', index), grid: tree.grids[grid]! };
    }
  };
  /** A substring of `length` characters of a random resident's name, without the '·' separator. */
  const sampleNamePart = (length: number) => {
    for (;;) {
      const chars = Array.from(sampleResident().resident.name);
      if (chars.length < length) continue;
      const start = pick(chars.length - length + 1);
      const part = chars.slice(start, start + length).join('');
      if (!part.includes('·')) return part;
    }
  };
  const listSql = async (
    scope: OrgScope,
    query: { q?: string; ethnicityCode?: string },
    pageSize: number,
  ) => [
    await capture((db) =>
      residentRepository.findResidents(db, scope, toResidentFilter(query, today), 'name', {
        ...pageOf50,
        pageSize,
      }),
    ),
  ];
  const repeat = async <T>(make: () => Promise<T>): Promise<T[]> => {
    const out: T[] = [];
    for (let i = 0; i < options.variations; i++) out.push(await make());
    return out;
  };
  const goal = (ms: number) => (options.withGoals ? { goalMs: ms } : {});

  const series: Series[] = [];
  const listSeries = async (
    key: string,
    label: string,
    http: string,
    make: () => { q?: string; ethnicityCode?: string; gridPath?: string; gridId?: string; pageSize: number },
    goalMs: number,
  ) => {
    const made = await repeat(async () => {
      const p = make();
      const search = new URLSearchParams();
      if (p.gridId) search.set('orgUnitId', p.gridId);
      if (p.q) search.set('q', p.q);
      if (p.ethnicityCode) search.set('ethnicityCode', p.ethnicityCode);
      search.set('sort', 'name');
      if (p.pageSize !== 20) search.set('pageSize', String(p.pageSize));
      const query = {
        ...(p.q ? { q: p.q } : {}),
        ...(p.ethnicityCode ? { ethnicityCode: p.ethnicityCode } : {}),
      };
      return {
        path: `/api/residents?${search}`,
        steps: await listSql(
          p.gridPath ? { path: p.gridPath, leafUnitId: p.gridId } : { path: scopePath },
          query,
          p.pageSize,
        ),
      };
    });
    series.push({
      key,
      label,
      http,
      sql: 'findResidents: the page query and the count, as the repository compiles them',
      paths: made.map((m) => m.path),
      steps: made.map((m) => m.steps),
      ...goal(goalMs),
    });
  };

  await listSeries(
    'a',
    '(a) resident by ID number',
    'GET /api/residents?q=<18-char ID number>&sort=name',
    () => ({ q: sampleResident().resident.idNumber, pageSize: 20 }),
    1,
  );
  await listSeries(
    'b',
    '(b) grid + ethnicity, by name, 50 + total',
    'GET /api/residents?orgUnitId=<grid>&ethnicityCode=<code>&sort=name&pageSize=50',
    () => {
      const { resident, grid } = sampleResident();
      return { gridId: grid.id, gridPath: grid.path, ethnicityCode: resident.ethnicityCode, pageSize: 50 };
    },
    1.5,
  );
  for (const length of [1, 2, 3]) {
    await listSeries(
      `c${length}`,
      `(c) name search, ${length}-char, 50 + total`,
      `GET /api/residents?q=<${length} chars of a name>&sort=name&pageSize=50`,
      () => ({ q: sampleNamePart(length), pageSize: 50 }),
      3,
    );
  }
  await listSeries(
    'c王',
    '(c) name search "王" (worst 1-char)',
    'GET /api/residents?q=王&sort=name&pageSize=50',
    () => ({ q: '王', pageSize: 50 }),
    3,
  );

  // (d) The endpoint computes every registry figure; the SQL line is only the counts by ethnicity.
  const statisticsOf = async () => {
    const unit = community ?? tree.communities[pick(tree.communities.length)]!;
    const byEthnicity = await capture((db) =>
      statisticsRepository.countResidentsByEthnicity(db, { path: unit.path }, today),
    );
    const lookup = await capture((db) => orgUnitRepository.findOrgUnitById(db, scopePath, unit.id));
    const figures = await capture(async (db) => {
      const from = `${today.slice(0, 4)}-01-01`;
      await Promise.all([
        statisticsRepository.countResidentsByEthnicity(db, { path: unit.path }, today),
        statisticsRepository.countHouseholds(db, { path: unit.path }),
        statisticsRepository.countInterEthnicCouples(db, { path: unit.path }, today),
        statisticsRepository.countMoves(db, { path: unit.path }, from, today),
        statisticsRepository.countOrgUnitsByType(db, { path: unit.path }),
        statisticsRepository.countPlacesByKind(db, { path: unit.path }),
        statisticsRepository.countResidentsByAgeBand(
          db,
          { path: unit.path },
          today,
          ageBandStarts.map((start) => yearsBefore(today, start)),
        ),
        statisticsRepository.findScopeUnits(db, { path: unit.path }),
      ]);
    });
    return {
      path: `/api/org-units/${unit.id}/statistics`,
      byEthnicity: [byEthnicity],
      all: [lookup, figures],
    };
  };
  const statistics = await repeat(statisticsOf);
  const statisticsPaths = statistics.map((s) => s.path);
  series.push({
    key: 'd',
    label: '(d) counts by ethnicity, one community',
    http: 'GET /api/org-units/<community>/statistics (all registry figures, see d*)',
    sql: 'countResidentsByEthnicity only',
    paths: statisticsPaths,
    steps: statistics.map((s) => s.byEthnicity),
    ...goal(2),
  });
  series.push({
    key: 'd*',
    label: '(d*) the whole statistics endpoint',
    http: 'same requests as (d)',
    sql: 'org unit lookup + the 9 statements of computeRegistryStatistics',
    paths: statisticsPaths,
    steps: statistics.map((s) => s.all),
    httpOf: 'd',
  });
  // The figures of a unit are kept while the registers are unchanged (SQLite), so (d) after its first
  // request is answered from them. A different date in each request is never kept: each is counted,
  // as every request is after a change to the registers.
  const countedPaths = Array.from({ length: 4000 }, (_, i) => {
    const day = new Date(Date.parse(`${today}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10);
    return `${statisticsPaths[i % statisticsPaths.length]!}?to=${day}`;
  });
  series.push({
    key: 'd-counted',
    label: '(d) counted anew (a new date each time)',
    http: 'GET /api/org-units/<community>/statistics?to=<another date each request>: nothing kept to answer from',
    sql: 'org unit lookup + the 9 statements of computeRegistryStatistics (today)',
    paths: countedPaths,
    steps: countedPaths.map((_, i) => statistics[i % statistics.length]!.all),
  });
  return series;
}
