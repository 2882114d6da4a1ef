/**
 * Casework benchmark: the dispute, petition and hotline figures of a street of 80,000 residents
 * and 50,000 casework records (10,000 disputes, 40,000 petitions and hotline calls) on SQLite,
 * timed through the statistics service beside the same GROUP BY queries run directly on the
 * connection (the plain SQL limit). The sibling branch's tables (visits, must-visits, pairings,
 * assistance) are to be added here when they land.
 *
 *   TZ=Asia/Shanghai node --import tsx bench/casework.bench.ts [--rows N] [--records N] [--runs N]
 *
 * Goal: the figures' p95 ≤ 200 ms.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { cliActor } from '../server/src/lib/actor.ts';
import { newId } from '../server/src/lib/ids.ts';
import { disputePetitionStatisticsService } from '../server/src/modules/statistics/dispute-petition.service.ts';
import { summarize, type Summary } from './report.ts';
import { seedResidents } from './seed-residents.ts';
import { createStreet } from './street.ts';
import { openSqliteTarget } from './targets.ts';

const SEED = 20260630;
const GOAL_MS = 200;
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };

const levels = ['grid', 'community', 'street'];
const categories = ['neighbour', 'family', 'property', 'labour', 'housing', 'debt', 'business', 'other'];
const outcomes = ['ongoing', 'resolved', 'resolved', 'resolved', 'transferred'];
const channels = ['visit', 'letter', 'online', 'hotline', 'hotline', 'hotline'];
const statuses = [
  'done',
  'done',
  'done',
  'done',
  'done',
  'done',
  'handling',
  'received',
  'not_accepted',
  'transferred',
];

async function time(runs: number, work: () => unknown): Promise<Summary> {
  for (let w = 0; w < 2; w++) await work();
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    durations.push(performance.now() - started);
  }
  return summarize(durations);
}

/** Writes `records` casework rows spread over the grids and the first half of 2026, in one transaction. */
function seedCasework(file: string, grids: { id: string; streetId: string }[], records: number) {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const insertDispute = db.prepare(
    `insert into dispute (id, org_unit_id, street_id, intake_date, source, category, is_ethnic_factor, risk_level,
       handling_level, outcome, closed_on, summary, follow_up, version, created_at, updated_at)
     values (?, ?, ?, ?, 'survey', ?, ?, 'low', ?, ?, ?, '基准纠纷', null, 1, ?, ?)`,
  );
  const insertPetition = db.prepare(
    `insert into petition (id, org_unit_id, street_id, channel, received_date, requester_name, subject, status,
       response_date, handling_days, due_date, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, null, '基准信访', ?, ?, ?, '2026-12-31', 1, ?, ?)`,
  );
  const date = (i: number) => new Date(Date.UTC(2026, 0, 1 + (i % 181))).toISOString().slice(0, 10);
  const disputes = Math.round(records / 5);
  db.transaction(() => {
    for (let i = 0; i < records; i++) {
      const grid = grids[i % grids.length]!;
      if (i < disputes) {
        const outcome = outcomes[i % outcomes.length]!;
        insertDispute.run(
          newId(),
          grid.id,
          grid.streetId,
          date(i),
          categories[i % categories.length],
          i % 7 === 0 ? 1 : 0,
          levels[i % levels.length],
          outcome,
          outcome === 'ongoing' ? null : date(i + 3),
          now,
          now,
        );
      } else {
        const status = statuses[i % statuses.length]!;
        const closed = ['done', 'not_accepted', 'transferred'].includes(status);
        insertPetition.run(
          newId(),
          grid.id,
          grid.streetId,
          channels[i % channels.length],
          date(i),
          status,
          closed ? date(i + 2) : null,
          closed ? 2 : null,
          now,
          now,
        );
      }
    }
  })();
  db.exec('analyze');
  db.close();
  return { disputes, petitions: records - disputes };
}

export async function runCaseworkBench(options: { rows?: number; records?: number; runs?: number } = {}) {
  const rows = options.rows ?? 80_000;
  const records = options.records ?? 50_000;
  const runs = options.runs ?? 20;
  const log = (message: string) => process.stderr.write(`[casework bench] ${message}\n`);
  const target = await openSqliteTarget();
  if (target.location.dialect !== 'sqlite') throw new Error('the casework bench runs on SQLite');
  try {
    const street = await createStreet(target.database, {
      code: 'CB',
      districtName: '案件基准区',
      streetName: '案件基准街道',
      communities: 8,
      gridsPerCommunity: 10,
    });
    const grids = street.grids.map((g) => ({ id: g.id, streetId: g.streetId! }));
    log(
      `seeding ${rows.toLocaleString('en-US')} residents and ${records.toLocaleString('en-US')} casework records…`,
    );
    await seedResidents({ target: target.location, rows, seed: SEED, grids });
    const seeded = seedCasework(target.location.file, grids, records);

    const db = target.database.db;
    const streetId = street.street.id;
    const figures = () =>
      disputePetitionStatisticsService.computeDisputePetitionStatistics(db, cliActor, streetId, PERIOD);
    const first = await figures();
    const counted = first.disputes.found + first.petitions.received + first.hotline.received;
    if (counted !== records) throw new Error(`expected ${records} records, counted ${counted}`);

    // The plain SQL limit: the same two GROUP BY queries, prepared once, on a raw connection.
    const raw = new SqliteDatabase(target.location.file, { readonly: true });
    const scope = `select id from org_unit where path glob ? and deleted_at is null`;
    const disputeSql = raw.prepare(
      `select handling_level, category, outcome, count(*) n from dispute where org_unit_id in (${scope})
         and deleted_at is null and intake_date >= ? and intake_date <= ? group by 1, 2, 3`,
    );
    const petitionSql = raw.prepare(
      `select channel, status, count(*) n, sum(handling_days) d from petition where org_unit_id in (${scope})
         and deleted_at is null and received_date >= ? and received_date <= ? group by 1, 2`,
    );
    const pattern = `${street.street.path}*`;
    log('timing the figures through the service…');
    const service = await time(runs, figures);
    log('timing the plain SQL…');
    const plain = await time(runs, () => {
      disputeSql.all(pattern, PERIOD.from, PERIOD.to);
      petitionSql.all(pattern, PERIOD.from, PERIOD.to);
    });
    raw.close();
    return {
      rows,
      records,
      ...seeded,
      figures: first,
      service,
      plain,
      ratio: service.median / plain.median,
      goalMs: GOAL_MS,
      pass: service.p95 <= GOAL_MS,
    };
  } finally {
    await target.cleanup();
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, records: { type: 'string' }, runs: { type: 'string' } },
  });
  const num = (v: string | undefined) => (v ? Number(v.replace(/[_,]/g, '')) : undefined);
  const r = await runCaseworkBench({
    rows: num(values.rows),
    records: num(values.records),
    runs: num(values.runs),
  });
  const ms = (v: number) => `${v.toFixed(1).padStart(8)} ms`;
  console.log(
    [
      `Casework benchmark — SQLite, a street of ${r.rows.toLocaleString('en-US')} residents and ` +
        `${r.records.toLocaleString('en-US')} records (${r.disputes.toLocaleString('en-US')} disputes, ` +
        `${r.petitions.toLocaleString('en-US')} petitions and hotline calls)`,
      `${''.padEnd(32)}${'n'.padStart(4)}${'median'.padStart(11)}${'p95'.padStart(11)}`,
      `${'figures via the service'.padEnd(32)}${String(r.service.n).padStart(4)}${ms(r.service.median)}${ms(r.service.p95)}`,
      `${'plain SQL (same queries)'.padEnd(32)}${String(r.plain.n).padStart(4)}${ms(r.plain.median)}${ms(r.plain.p95)}`,
      `service / plain SQL (median): ${r.ratio.toFixed(2)}×`,
      `disputes found ${r.figures.disputes.found}, petitions received ${r.figures.petitions.received}, ` +
        `hotline received ${r.figures.hotline.received}`,
      `goal: figures p95 ≤ ${r.goalMs} ms — ${r.pass ? 'PASS' : 'MISS'}`,
    ].join('\n'),
  );
  if (!r.pass) process.exitCode = 1;
}
