import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { orgUnitInput } from '@shiliuzi/shared/org-units';
import { orgUnitTypes, roles, type Role } from '@shiliuzi/shared/registry';
import { userInput } from '@shiliuzi/shared/users';
import { loadConfig, type Config } from './config.ts';
import {
  auditFileOf,
  DatabaseKeyError,
  lockDataDir,
  migrateDatabase,
  migrateToLatest,
  openDatabase,
  openSqliteFile,
  rekeySqlite,
  type Database,
} from './db/database.ts';
import { describeRowSecurityRole, runAsSystem } from './db/row-security.ts';
import { isAppError } from './errors.ts';
import { cliActor } from './lib/actor.ts';
import { keepHeapsNearLiveData } from './lib/heap-growth.ts';
import {
  cliMessages,
  errorMessages,
  fieldLabels,
  orgTypeLabels,
  photoMessages,
  sealedFieldMessages,
} from './locales/zh-CN.ts';
import { registerNames } from './locales/export.zh-CN.ts';
import { registerKinds, type RegisterKind } from './modules/exports/register-layouts.ts';
import { orgUnitService } from './modules/org-units/org-unit.service.ts';
import type { DisputePetitionStatistics } from './modules/statistics/dispute-petition.service.ts';
import type { RegistryStatistics } from '@shiliuzi/shared/statistics';
import { KeyError, keyringFromFile, loadKeyring, type Keyring } from './lib/keys.ts';
import { fieldKeysOf, installFieldKeys, loadFieldKeys } from './lib/field-crypto.ts';
import { SealedFieldsKeyError, sealOutstandingFields } from './db/sealed-fields.ts';
import { BackupError } from './modules/backup/backup-error.ts';
import type { BackupService } from './modules/backup/backup.service.ts';
import { backupMessages, keyErrorMessage } from './modules/backup/messages.zh-CN.ts';

// Each command imports the modules it needs when it runs (`await import(…)`): a command such as
// `org list` then starts without loading the web server, the report writer or the spreadsheet
// libraries, which would cost every run a second or more.

class CliError extends Error {}

/**
 * Opens the configured database. The embedded file is encrypted with the master key's `database`
 * subkey (a demo install makes its key file on first use; production refuses to start without a
 * key), so the file, its WAL and every copy of it are unreadable on disk without the key. The
 * operator acts on the whole tree: on PostgreSQL their commands run as the system
 * (db/row-security.ts); the server's requests run in their actor's subtree.
 */
function openConfiguredDatabase(config: Config, operator = false): Database {
  const { dataDir, databaseUrl, databaseOwnerUrl } = config;
  if (databaseUrl) return openDatabase({ dataDir, databaseUrl, databaseOwnerUrl, operator });
  try {
    const key = loadKeyring(config, { create: true }).deriveKey('database').toString('hex');
    return openDatabase({ dataDir, databaseUrl: undefined, encryptionKey: key });
  } catch (error) {
    if (error instanceof KeyError) throw new CliError(keyErrorMessage(error));
    if (error instanceof DatabaseKeyError) throw new CliError(cliMessages.databaseKeyWrong(config.dataDir));
    throw error;
  }
}

/**
 * Re-encrypts the embedded database with the current master key's `database` subkey, opening it
 * with the old master key's: the step of a master key rotation that the database file needs. The
 * sealed fields inside are then moved to the current key as well (as SHILIUZI_OLD_KEY_FILES would at
 * the next start), so one command rotates the whole embedded database.
 */
async function rekeyEmbeddedDatabase(config: Config, oldKeyFile: string): Promise<void> {
  if (config.databaseUrl) throw new CliError(cliMessages.rekeyPostgres);
  const file = path.join(config.dataDir, 'shiliuzi.db');
  if (!fs.existsSync(file)) throw new CliError(cliMessages.rekeyNoDatabase(file));
  let release: () => void;
  try {
    release = lockDataDir(config.dataDir);
  } catch {
    throw new CliError(cliMessages.rekeyInUse(config.dataDir));
  }
  try {
    const keyOf = (keyring: Keyring) => keyring.deriveKey('database').toString('hex');
    let currentKeyring: Keyring;
    let oldKeyring: Keyring;
    try {
      currentKeyring = loadKeyring(config, { create: false });
      oldKeyring = keyringFromFile(oldKeyFile);
    } catch (error) {
      if (error instanceof KeyError) throw new CliError(keyErrorMessage(error));
      throw error;
    }
    const current = keyOf(currentKeyring);
    // The database and the audit trail's file beside it (when there is one), under the same key.
    for (const target of [file, auditFileOf(file)].filter((f) => fs.existsSync(f))) {
      let alreadyCurrent = false;
      try {
        openSqliteFile(target, current, { fileMustExist: true }).close();
        alreadyCurrent = true;
      } catch (error) {
        if (!(error instanceof DatabaseKeyError)) throw error;
      }
      if (alreadyCurrent) {
        if (target === file) console.log(cliMessages.rekeyAlready);
        continue;
      }
      let sqlite;
      try {
        sqlite = openSqliteFile(target, keyOf(oldKeyring), { fileMustExist: true });
      } catch (error) {
        if (error instanceof DatabaseKeyError) throw new CliError(cliMessages.rekeyOldKeyWrong(oldKeyFile));
        throw error;
      }
      try {
        rekeySqlite(sqlite, current);
        sqlite.pragma('journal_mode = WAL');
      } finally {
        sqlite.close();
      }
      console.log(cliMessages.rekeyDone(target));
    }
    const database = openDatabase({
      dataDir: config.dataDir,
      databaseUrl: undefined,
      encryptionKey: current,
    });
    try {
      await migrateToLatest(database.db);
      installFieldKeys(fieldKeysOf(currentKeyring, [oldKeyring]));
      await sealFields(database);
      await sealPhotos(config);
    } finally {
      await database.destroy();
    }
  } finally {
    release();
  }
}

/**
 * Loads the field keys (the master key and SHILIUZI_OLD_KEY_FILES) and seals whatever is not yet
 * under the current key: plaintext left from before field encryption, or values of an earlier key.
 */
async function prepareSealedFields(database: Database, config: Config): Promise<void> {
  try {
    installFieldKeys(loadFieldKeys(config));
  } catch (error) {
    if (error instanceof KeyError) throw new CliError(keyErrorMessage(error));
    throw error;
  }
  await sealFields(database);
}

/**
 * Encrypts the visit photos on disk that are not under the installed current key: photos kept
 * before they were encrypted, or under an earlier master key (given in SHILIUZI_OLD_KEY_FILES).
 */
async function sealPhotos(config: Config): Promise<void> {
  const { createPhotoStore } = await import('./modules/visits/visit-photo.store.ts');
  const store = createPhotoStore(path.join(config.dataDir, 'attachments'), config.attachmentMaxBytes);
  const result = await store.sealOutstanding((context, message) => console.error(message, context));
  if (result.files > 0) console.error(photoMessages.sealed(result.files));
  if (result.unreadable > 0) console.error(photoMessages.unreadable(result.unreadable));
}

/** Seals what is not under the installed current key; refuses (in Chinese) when a key is missing. */
async function sealFields(database: Database): Promise<void> {
  try {
    const sealed = await sealOutstandingFields(database.db, (context, message) =>
      console.error(message, context),
    );
    if (sealed.rows > 0) console.error(sealedFieldMessages.sealed(sealed.tables, sealed.rows));
  } catch (error) {
    if (error instanceof SealedFieldsKeyError) throw new CliError(error.message);
    throw error;
  }
}

/** Opens (as the operator) and migrates the configured database, runs `work`, and always closes it. */
async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = openConfiguredDatabase(config, true);
  try {
    await migrateDatabase(database);
    await prepareSealedFields(database, config);
    return await work(database);
  } finally {
    await database.destroy();
  }
}

const periodOptions = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() });

function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = String(issue.path.at(-1) ?? '');
    const known = (errorMessages as Record<string, string>)[issue.message];
    return `${fieldLabels[field] ?? field}：${known ?? issue.message}`;
  });
  throw new CliError(lines.join('\n'));
}

async function requireOrgId(database: Database, code: string): Promise<string> {
  try {
    return (await orgUnitService.getOrgUnitByCode(database.db, cliActor, code)).id;
  } catch (error) {
    if (isAppError(error) && error.status === 404) throw new CliError(cliMessages.unknownOrgCode(code));
    throw error;
  }
}

async function loadDemoData(database: Database, config: Config, quiet = false) {
  if (config.mode === 'production') throw new CliError(cliMessages.productionNoDemo);
  const { demoService } = await import('./modules/demo/demo.service.ts');
  const { createPhotoStore } = await import('./modules/visits/visit-photo.store.ts');
  const photos = createPhotoStore(path.join(config.dataDir, 'attachments'), config.attachmentMaxBytes);
  const result = await runAsSystem(() => demoService.loadDemo(database.db, cliActor, undefined, photos));
  if (!quiet) console.log(result.loaded ? cliMessages.demoLoaded(result) : cliMessages.demoPresent);
  return result;
}

/**
 * The server's PostgreSQL role must stay behind row-level security: not a superuser, not BYPASSRLS,
 * not the tables' owner (who could turn it off). Refused in production, a warning in demo mode.
 */
async function checkServerRole(database: Database, config: Config): Promise<void> {
  const role = await runAsSystem(() => describeRowSecurityRole(database.db));
  const problem = role.bypassesRowSecurity
    ? cliMessages.roleBypassesRowSecurity(role.name)
    : role.ownsTables
      ? cliMessages.roleOwnsTables(role.name)
      : undefined;
  if (!problem) return;
  if (config.mode === 'production') throw new CliError(problem);
  console.warn(problem);
}

async function serve(config: Config, database: Database, onListening?: (url: string) => void) {
  const release = database.file ? lockDataDir(config.dataDir) : () => undefined;
  if (config.databaseUrl) await checkServerRole(database, config);
  const { buildApp } = await import('./app.ts');
  const { ensureWebBuild, webDist } = await import('./web-app.ts');
  const { startScheduledBackups } = await import('./modules/backup/backup.schedule.ts');
  const { startAuditRetention } = await import('./modules/audit/audit.service.ts');
  await sealPhotos(config);
  await ensureWebBuild(() => console.log(cliMessages.buildingWeb));
  const app = await buildApp({
    config,
    database,
    webDist,
    attachmentsDir: path.join(config.dataDir, 'attachments'),
  });
  // Scheduled backups (BACKUP_INTERVAL_HOURS), on a worker thread so requests never wait for one.
  const backups = startScheduledBackups(config, app.log);
  const retention = startAuditRetention(database, config.auditRetentionDays, app.log);
  const { startScheduledRetention } = await import('./modules/retention/retention.cli.ts');
  const recordRetention = startScheduledRetention(database, config, app.log);
  const shutdown = async () => {
    retention.stop();
    recordRetention?.stop();
    await backups?.stop(); // first: interrupts a running backup and removes its temp files
    await app.close();
    await database.destroy();
    release();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('127.0.0.1', 'localhost');
  console.log(cliMessages.serving(url));
  onListening?.(url);
}

export function buildCli(config: Config = loadConfig()): Command {
  const program = new Command('shiliuzi').description(cliMessages.description);

  program
    .command('serve')
    .description('启动 HTTP 服务（先执行数据库迁移）')
    .action(async () => {
      const database = openConfiguredDatabase(config);
      await migrateDatabase(database);
      await prepareSealedFields(database, config);
      await serve(config, database);
    });

  program
    .command('start')
    .description('迁移数据库，首次运行时载入演示数据，然后启动服务')
    .action(async () => {
      const database = openConfiguredDatabase(config);
      await migrateDatabase(database);
      await prepareSealedFields(database, config);
      const demo = config.mode === 'demo' ? await loadDemoData(database, config) : undefined;
      await serve(config, database, () => {
        if (!demo) return;
        console.log(cliMessages.demoLogins);
        for (const user of demo.users) console.log(cliMessages.demoLogin(user));
      });
    });

  const dbCommand = program.command('db').description('数据库管理');
  dbCommand
    .command('rekey')
    .description('主密钥轮换后：用旧主密钥打开内置数据库，改用当前主密钥加密（先停止服务）')
    .requiredOption('--old-key-file <file>', '轮换前使用的主密钥文件')
    .action((options: { oldKeyFile: string }) => rekeyEmbeddedDatabase(config, options.oldKeyFile));
  dbCommand
    .command('migrate')
    .description('执行数据库迁移到最新结构')
    .action(async () => {
      const database = openConfiguredDatabase(config);
      try {
        const result = await migrateDatabase(database);
        await prepareSealedFields(database, config);
        console.log(cliMessages.migrated(result.results?.length ?? 0));
      } finally {
        await database.destroy();
      }
    });

  program
    .command('demo')
    .description('载入演示数据（已存在时跳过）')
    .action(async () => {
      await withDatabase(config, (database) => loadDemoData(database, config));
    });

  program
    .command('user')
    .description('用户管理')
    .command('add')
    .description('创建用户')
    .requiredOption('--username <username>', '用户名')
    .requiredOption(
      '--password <password>',
      '初始密码（至少 8 位，含大写字母、小写字母、数字、符号中的三类；首次登录须修改）',
    )
    .requiredOption('--role <role>', `角色，多个用逗号分隔：${roles.join(', ')}`)
    .requiredOption('--org <code>', '所属组织编码')
    .option('--name <displayName>', '姓名')
    .action((options: { username: string; password: string; role: string; org: string; name?: string }) =>
      withDatabase(config, async (database) => {
        const requested = options.role.split(',').map((r) => r.trim());
        for (const role of requested) {
          if (!(roles as readonly string[]).includes(role)) throw new CliError(cliMessages.unknownRole(role));
        }
        const input = parseInput(userInput, {
          username: options.username,
          password: options.password,
          displayName: options.name,
          roles: requested as Role[],
          orgUnitId: await requireOrgId(database, options.org),
        });
        const { userService } = await import('./modules/users/user.service.ts');
        const user = await userService.createUser(database.db, cliActor, input);
        console.log(cliMessages.userAdded(user.username));
      }),
    );

  const org = program.command('org').description('组织管理');
  org
    .command('add')
    .description('创建组织')
    .requiredOption('--code <code>', '组织编码')
    .requiredOption('--name <name>', '名称')
    .addOption(new Option('--type <type>', '类型').choices(orgUnitTypes).makeOptionMandatory())
    .option('--parent <code>', '上级组织编码')
    .option('--area <km2>', '面积（平方公里）', Number)
    .action((options: { code: string; name: string; type: string; parent?: string; area?: number }) =>
      withDatabase(config, async (database) => {
        const input = parseInput(orgUnitInput, {
          code: options.code,
          name: options.name,
          type: options.type,
          parentId: options.parent ? await requireOrgId(database, options.parent) : null,
          areaKm2: options.area ?? null,
        });
        const unit = await orgUnitService.createOrgUnit(database.db, cliActor, input);
        console.log(cliMessages.orgAdded(unit.code, unit.name));
      }),
    );
  org
    .command('list')
    .description('列出全部组织')
    .option('--json', '以 JSON 输出')
    .action((options: { json?: boolean }) =>
      withDatabase(config, async (database) => {
        const units = await orgUnitService.listAllOrgUnits(database.db);
        const codeById = new Map(units.map((u) => [u.id, u.code]));
        const rows = units.map((u) => ({
          code: u.code,
          name: u.name,
          type: u.type,
          parent: u.parentId === null ? null : (codeById.get(u.parentId) ?? null),
        }));
        if (options.json) {
          console.log(JSON.stringify(rows, null, 2));
          return;
        }
        for (const u of units) {
          console.log(`${'  '.repeat(u.depth)}${u.code}  ${u.name}（${orgTypeLabels[u.type]}）`);
        }
      }),
    );

  const audit = program.command('audit').description('审计日志');
  audit
    .command('prune')
    .description('移除超过保留期（AUDIT_RETENTION_DAYS，最短 180 天）的审计记录；服务运行时每天自动执行')
    .action(() =>
      withDatabase(config, async (database) => {
        const { auditService } = await import('./modules/audit/audit.service.ts');
        const { removed, cutoff } = await auditService.prune(database.db, config.auditRetentionDays);
        console.log(cliMessages.auditPruned(removed, config.auditRetentionDays, cutoff));
      }),
    );
  audit
    .command('verify')
    .description('校验审计日志的哈希链：未被篡改时退出码为 0，否则指出第一条异常记录')
    .action(() =>
      withDatabase(config, async (database) => {
        const { auditService } = await import('./modules/audit/audit.service.ts');
        const result = await auditService.verify(database.db);
        if (result.firstBad) throw new CliError(cliMessages.auditBroken(result.firstBad, result.rows));
        console.log(cliMessages.auditIntact(result.rows));
      }),
    );

  program
    .command('retention')
    .description('数据保留')
    .command('run')
    .description('按各类记录的保留期限匿名化或删除到期记录并输出报告（服务运行时每天自动执行）')
    .option('--dry-run', '只预演：报告将处理哪些记录，不做任何改动')
    .option('--json', '以 JSON 输出报告')
    .action((options: { dryRun?: boolean; json?: boolean }) =>
      withDatabase(config, async (database) => {
        const { runRetentionCommand } = await import('./modules/retention/retention.cli.ts');
        if (!(await runRetentionCommand(database, config, options))) process.exitCode = 1;
      }),
    );

  program
    .command('backup')
    .description('备份数据库到一个加密文件（SQLite：一致性在线副本；PostgreSQL：pg_dump）')
    .requiredOption('--out <file>', '备份文件路径（已存在时不覆盖）')
    .action(async (options: { out: string }) => {
      const result = await withBackupMessages(
        (backupService) => backupService.createBackup(config, options.out),
        options.out,
      );
      console.log(backupMessages.written(result));
    });

  program
    .command('restore')
    .description(
      '从加密备份恢复数据库：SQLite 恢复到新的数据目录，PostgreSQL 恢复到空数据库；恢复后逐表核对行数和校验和',
    )
    .argument('<file>', '备份文件')
    .option('--key-file <file>', '生成该备份时使用的主密钥文件（默认用当前配置的主密钥）')
    .option('--force', 'SQLite：数据目录中已有数据库时替换它（原数据库改名保留）')
    .action(async (file: string, options: { keyFile?: string; force?: boolean }) => {
      const result = await withBackupMessages((backupService) =>
        backupService.restoreBackup(config, file, options),
      );
      console.log(
        backupMessages.restored({
          ...result,
          createdAt: result.header.createdAt,
          keyId: result.header.keyId,
        }),
      );
      for (const note of result.notes) console.log(note);
    });

  program
    .command('stats')
    .description('统计某组织及其下级的台账数据')
    .requiredOption('--org <code>', '组织编码')
    .option('--from <date>', '统计期开始日期 YYYY-MM-DD')
    .option('--to <date>', '统计截止日期 YYYY-MM-DD（默认今天）')
    .option('--json', '以 JSON 输出')
    .action((options: { org: string; from?: string; to?: string; json?: boolean }) =>
      withDatabase(config, async (database) => {
        const period = parseInput(periodOptions, { from: options.from, to: options.to });
        const orgId = await requireOrgId(database, options.org);
        const { statisticsService } = await import('./modules/statistics/statistics.service.ts');
        const { disputePetitionStatisticsService } =
          await import('./modules/statistics/dispute-petition.service.ts');
        const stats = await statisticsService.computeRegistryStatistics(database.db, cliActor, orgId, period);
        // The casework figures (disputes, petitions and hotline; visits, must-visits, pairings and
        // assistance) join the registry's in the JSON.
        const disputesPetitions = await disputePetitionStatisticsService.computeDisputePetitionStatistics(
          database.db,
          cliActor,
          orgId,
          period,
        );
        const casework = await statisticsService.computeCaseworkStatistics(
          database.db,
          cliActor,
          orgId,
          period,
        );
        console.log(
          options.json
            ? JSON.stringify({ ...stats, ...disputesPetitions, ...casework }, null, 2)
            : `${formatStatistics(stats)}\n${formatDisputePetitionStatistics(disputesPetitions)}`,
        );
      }),
    );

  program
    .command('report')
    .description('生成报告（Word 文档，公文格式）')
    .command('basic')
    .description('生成某组织的基本情况报告')
    .requiredOption('--org <code>', '组织编码')
    .requiredOption('--out <file>', '输出文件路径（.docx）')
    .option('--from <date>', '统计期开始日期 YYYY-MM-DD')
    .option('--to <date>', '统计截止日期 YYYY-MM-DD（默认今天）')
    .action((options: { org: string; out: string; from?: string; to?: string }) =>
      withDatabase(config, async (database) => {
        const period = parseInput(periodOptions, { from: options.from, to: options.to });
        const orgId = await requireOrgId(database, options.org);
        const { reportService } = await import('./modules/reports/report.service.ts');
        const report = await reportService.generateBasicReport(database.db, cliActor, orgId, period);
        const file = path.resolve(options.out);
        fs.writeFileSync(file, report.buffer);
        console.log(cliMessages.reportWritten(file));
      }),
    );

  program
    .command('export')
    .description('导出台账（Excel 或 CSV，按输出文件扩展名决定格式）')
    .argument('<register>', `台账：${registerKinds.map((k) => `${k}（${registerNames[k]}）`).join('、')}`)
    .requiredOption('--org <code>', '组织编码（导出该组织及其全部下级）')
    .requiredOption('--out <file>', '输出文件路径（.xlsx 或 .csv）')
    .option('--reveal', '导出完整身份证号码、联系电话和详细地址（默认脱敏）')
    .action((register: string, options: { org: string; out: string; reveal?: boolean }) =>
      withDatabase(config, async (database) => {
        if (!(registerKinds as readonly string[]).includes(register))
          throw new CliError(cliMessages.unknownRegister(register, registerKinds));
        const { exportFormatOf, exportService } = await import('./modules/exports/exports.service.ts');
        const file = path.resolve(options.out);
        const format = exportFormatOf(file);
        if (!format) throw new CliError(cliMessages.exportFileType);
        const orgId = await requireOrgId(database, options.org);
        const exported = await exportService.prepareRegisterExport(database.db, cliActor, {
          register: register as RegisterKind,
          orgUnitId: orgId,
          format,
          reveal: options.reveal === true,
        });
        const output = fs.createWriteStream(file);
        try {
          const rows = await exported.writeTo(output);
          console.log(cliMessages.exportWritten(registerNames[register as RegisterKind], rows, file));
        } catch (error) {
          // Removed once closed: the file's open may still be on its way when the export fails.
          if (!output.closed) await new Promise<void>((done) => output.destroy().once('close', () => done()));
          fs.rmSync(file, { force: true });
          throw error;
        }
      }),
    );

  program
    .command('import')
    .description('导入台账（.xlsx、.xls、.csv）：先用 --dry-run 预览，再正式导入')
    .argument('<file>', '台账文件')
    .requiredOption('--org <code>', '导入到的组织编码（社区、村、网格或驻区单位）')
    .option('--dry-run', '只检查并报告，不写入')
    .option('--hold-invalid', '身份证号校验位错误的行仍导入，并标记“待核实”')
    .option('--json', '以 JSON 输出导入报告')
    .action(
      (file: string, options: { org: string; dryRun?: boolean; holdInvalid?: boolean; json?: boolean }) =>
        withDatabase(config, async (database) => {
          const filePath = path.resolve(file);
          if (!fs.existsSync(filePath)) throw new CliError(cliMessages.fileNotFound(filePath));
          const orgId = await requireOrgId(database, options.org);
          const { importRegisterFile } = await import('./modules/imports/import-file.ts');
          keepHeapsNearLiveData();
          const report = await importRegisterFile(database.db, cliActor, {
            filePath,
            orgUnitId: orgId,
            dryRun: options.dryRun === true,
            holdInvalidIdNumbers: options.holdInvalid === true,
            // Progress on stderr, so that --json output stays clean.
            onProgress: (rows) => {
              if (rows % 1000 === 0) process.stderr.write(`${cliMessages.importProgress(rows)}\n`);
            },
          });
          console.log(options.json ? JSON.stringify(report, null, 2) : cliMessages.importSummary(report));
        }),
    );

  return program;
}

/**
 * Runs a backup or restore. Refusals carry their Chinese message; key errors are translated here.
 * Ctrl-C or SIGTERM removes the plaintext temp files first (`finally` blocks would not run), and
 * an unfinished backup file.
 */
async function withBackupMessages<T>(
  work: (service: BackupService) => Promise<T>,
  outFile?: string,
): Promise<T> {
  const { backupService, removeBackupLeftovers } = await import('./modules/backup/backup.service.ts');
  const interrupt = () => {
    backupService.removePlaintextInUse();
    if (outFile) removeBackupLeftovers(path.resolve(outFile));
    console.error(cliMessages.failed + backupMessages.interrupted);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await work(backupService);
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message);
    if (error instanceof KeyError) throw new CliError(keyErrorMessage(error));
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

function formatStatistics(s: RegistryStatistics): string {
  return [
    `${s.orgName}（${s.orgCode}）截至 ${s.asOf}`,
    `居民 ${s.residents} 人，户 ${s.households} 户，流动人口 ${s.floatingResidents} 人`,
    `少数民族 ${s.minorityResidents} 人（${(s.minorityShare * 100).toFixed(2)}%），共 ${s.minorityGroups} 个少数民族`,
    `族际通婚 ${s.interEthnicCouples} 对`,
    `网格 ${s.grids} 个，驻区单位 ${s.memberUnits} 个，楼栋 ${s.buildings} 栋，单元 ${s.entrances} 个，房屋 ${s.dwellings} 套（出租 ${s.rentalDwellings} 套）`,
    `${s.from} 至 ${s.asOf} 迁入 ${s.movedIn} 人，迁出 ${s.movedOut} 人`,
  ].join('\n');
}

/** Dispute, petition and hotline lines of `stats`; 办结率 = 已办结 / 受理. */
function formatDisputePetitionStatistics(s: DisputePetitionStatistics): string {
  const percent = (rate: number) => `${(rate * 100).toFixed(0)}%`;
  const line = (name: string, f: DisputePetitionStatistics['petitions']) =>
    `${name}受理 ${f.received} 件，办结 ${f.handled} 件，办理中 ${f.inProgress} 件，其他 ${f.otherOutcomes} 件，办结率 ${percent(f.completionRate)}`;
  return [
    `矛盾纠纷排查 ${s.disputes.found} 起，化解 ${s.disputes.resolved} 起，化解率 ${percent(s.disputes.resolutionRate)}`,
    line('信访', s.petitions),
    line('热线', s.hotline),
  ].join('\n');
}

/** Runs the CLI; Chinese message and exit code 1 on any refusal. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof CliError || isAppError(error)) {
      console.error(cliMessages.failed + error.message);
    } else {
      console.error(cliMessages.failed + (error instanceof Error ? error.message : String(error)));
      if (error instanceof Error && error.stack) console.error(error.stack);
    }
    process.exitCode = 1;
  }
}
