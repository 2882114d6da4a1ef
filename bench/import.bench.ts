/**
 * `npm run bench:import`: a register of N rows (100,000 by default) imported through the service
 * (read, map, merge, one transaction), beside the limits of its parts: exceljs's streaming parse
 * alone, the import reader alone (parse + layout + normalisation), and a bulk insert of the same
 * number of residents in plain SQL (the seeder the registry bench uses). Prints rows/s, ratios and
 * peak RSS; SQLite.
 *
 *   npm run bench:import [-- --rows 20000]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { findEthnicGroup } from '@shiliuzi/shared/ethnicity';
import { cliActor } from '../server/src/lib/actor.ts';
import { importRegisterFile } from '../server/src/modules/imports/import-file.ts';
import { openRegisterFile } from '../server/src/modules/imports/reading/register-file.ts';
import { createResidentFactory } from '../server/src/modules/demo/demo-data.ts';
import { orgUnitService } from '../server/src/modules/org-units/org-unit.service.ts';
import { seedResidents } from './seed-residents.ts';
import { openSqliteTarget } from './targets.ts';

const relations = ['户主', '配偶', '子女'];

/**
 * A register as a community keeps it: title row, header, one person per row (people as the demo makes them:
 * names, ethnicities and ID numbers of the district), households of three.
 */
async function writeRegister(file: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const sheet = workbook.addWorksheet('居民台账');
  sheet.addRow(['和鸣街道居民台账']).commit();
  sheet
    .addRow([
      '序号',
      '姓名',
      '民族',
      '公民身份号码',
      '联系电话',
      '所属网格',
      '现住址',
      '户主姓名',
      '与户主关系',
    ])
    .commit();
  const person = createResidentFactory(7);
  for (let i = 0; i < rows; i++) {
    const r = person('', i);
    const household = Math.floor(i / 3);
    sheet
      .addRow([
        i + 1,
        r.name,
        findEthnicGroup(r.ethnicityCode)!.name,
        r.idNumber,
        r.phone ?? '',
        `第${1 + (household % 8)}网格`,
        `羌兴苑${1 + (household % 40)}栋${1 + (household % 3)}单元${String(101 + (household % 600))}`,
        person('', household * 3).name,
        relations[i % 3],
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

export async function runImportBench(rows: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-bench-import-'));
  const file = path.join(dir, 'register.xlsx');
  try {
    // Written by a process of its own, so that the peak RSS measured here is the import's.
    execFileSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, '--write', file, '--rows', String(rows)],
      { stdio: 'inherit' },
    );

    // End to end first, so the peak RSS is the import's own.
    const target = await openSqliteTarget();
    let importMs: number;
    let report: Awaited<ReturnType<typeof importRegisterFile>>;
    try {
      const db = target.database.db;
      const district = await orgUnitService.createOrgUnit(db, cliActor, {
        code: 'BD',
        name: '测试区',
        type: 'district',
        parentId: null,
      });
      const street = await orgUnitService.createOrgUnit(db, cliActor, {
        code: 'BS',
        name: '和鸣街道',
        type: 'street',
        parentId: district.id,
      });
      const community = await orgUnitService.createOrgUnit(db, cliActor, {
        code: 'BC',
        name: '云朵社区',
        type: 'community',
        parentId: street.id,
      });
      const started = performance.now();
      report = await importRegisterFile(db, cliActor, {
        filePath: file,
        orgUnitId: community.id,
        dryRun: false,
        holdInvalidIdNumbers: false,
      });
      importMs = performance.now() - started;
    } finally {
      await target.cleanup();
    }
    const importRss = process.resourceUsage().maxRSS;

    let started = performance.now();
    let parsed = 0;
    for await (const worksheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {})) {
      for await (const _row of worksheet) parsed += 1;
    }
    const parseMs = performance.now() - started;

    started = performance.now();
    let mapped = 0;
    for await (const _row of (await openRegisterFile(file)).rows) mapped += 1;
    const readMs = performance.now() - started;

    const seedTarget = await openSqliteTarget();
    let insertMs: number;
    try {
      const grid = {
        id: '00000000-0000-7000-8000-000000000001',
        streetId: '00000000-0000-7000-8000-000000000001',
      };
      await seedTarget.database.db
        .insertInto('orgUnit')
        .values({
          id: grid.id,
          code: 'G',
          name: '网格',
          type: 'grid',
          memberUnitKind: null,
          parentId: null,
          path: `/${grid.id}/`,
          depth: 1,
          streetId: null,
          areaKm2: null,
          version: 1,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          createdBy: null,
          updatedBy: null,
          deletedAt: null,
        })
        .execute();
      const seeded = await seedResidents({ target: seedTarget.location, rows, seed: 7, grids: [grid] });
      insertMs = seeded.insertMs;
    } finally {
      await seedTarget.cleanup();
    }

    const e2e = rate(report.rows, importMs);
    console.log(`\n== import bench (SQLite, ${rows.toLocaleString('en-US')} rows, one community)`);
    console.log(
      `end to end (read, map, merge, write, one transaction): ${(importMs / 1000).toFixed(1)} s, ${e2e} rows/s, ` +
        `created ${report.created}, rejected ${report.rejected.length}; peak RSS ${mib(importRss)} (goal ≤ 400 MiB)`,
    );
    console.log(`exceljs streaming parse alone: ${rate(parsed, parseMs)} rows/s (${parsed} rows)`);
    console.log(`import reader alone (parse + layout + normalisation): ${rate(mapped, readMs)} rows/s`);
    console.log(`bulk insert alone (multi-row SQL, with name grams): ${rate(rows, insertMs)} rows/s`);
    const limit = Math.min(rate(mapped, readMs), rate(rows, insertMs));
    console.log(
      `end to end / slower limit: ${((e2e / limit) * 100).toFixed(1)} % (goal ≥ 50 %); goal ≥ 20,000 rows/s: ${e2e >= 20_000 ? '✔' : '✘'}`,
    );
    return { rows, e2e, limit, importRss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '100000' }, write: { type: 'string' } },
  });
  if (values.write) await writeRegister(values.write, Number(values.rows));
  else await runImportBench(Number(values.rows));
}
