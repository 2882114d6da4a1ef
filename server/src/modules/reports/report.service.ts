import { localDateText } from '@shiliuzi/shared/dates';
import type { OrgUnitType } from '@shiliuzi/shared/registry';
import type { Database, Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import { basicReportText } from '../../locales/report.zh-CN.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { statisticsService, type StatisticsPeriod } from '../statistics/statistics.service.ts';
import { buildBasicReport } from './basic-report.builder.ts';
import { packDocument } from './official-document.layout.ts';
import type { ReportTask } from './report.worker.ts';

/** A generated document, ready to be written to a file or sent. */
export interface GeneratedReport {
  /** The name users see: 云朵社区基本情况（2026-11-29）.docx. */
  fileName: string;
  /** An ASCII name for clients that cannot take the Chinese one: YD-basic-2026-11-29.docx. */
  asciiFileName: string;
  /** The .docx file, in an ArrayBuffer of its own. */
  buffer: Uint8Array;
}

/** Today in the server's time zone (YYYY-MM-DD): the date a report is issued and, by default, its figures are taken. */

/** A file name without the characters Windows and other systems refuse (\ / : * ? " < > | and controls). */
function safeFileName(name: string): string {
  return [...name].map((ch) => (ch < ' ' || ch === '\x7f' || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');
}

/**
 * The 基本情况 report of an org unit inside the actor's scope (404 outside it), with the figures of
 * `statisticsService.computeRegistryStatistics` for the same period: the same numbers as
 * `shiliuzi stats` and the statistics endpoint.
 */
async function generateBasicReport(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  period: StatisticsPeriod = {},
  today: string = localDateText(),
): Promise<GeneratedReport> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const statistics = await statisticsService.computeRegistryStatistics(
    db,
    actor,
    org.id,
    { from: period.from, to: period.to ?? today },
    today,
  );
  const document = buildBasicReport({
    statistics,
    orgUnit: { name: org.name, type: org.type as OrgUnitType, areaKm2: org.areaKm2 },
    issuedOn: today,
  });
  return {
    fileName: safeFileName(basicReportText.fileName(org.name, statistics.asOf)),
    asciiFileName: `${org.code}-basic-${statistics.asOf}.docx`,
    buffer: await packDocument(document),
  };
}

export const reportService = Object.freeze({ generateBasicReport });

/**
 * Generates reports on a worker thread with its own connection (see report.worker.ts): the figures
 * of a street and the document built from them never stall the requests around them.
 */
export function createReportRunner(database: Database) {
  const pool = new WorkerPool<ReportTask>(new URL('./report.worker.ts', import.meta.url), database.options);
  return {
    generateBasicReport: (actor: Actor, orgUnitId: string, period: StatisticsPeriod = {}) =>
      pool.run<GeneratedReport>({ kind: 'basic', actor, orgUnitId, period }),
    close: () => pool.close(),
  };
}
export type ReportRunner = ReturnType<typeof createReportRunner>;
