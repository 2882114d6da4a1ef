import type { KeyError } from '../../lib/keys.ts';

// Every message the backup and restore commands show, and the Chinese for key errors
// (lib/keys.ts reports codes; whoever shows them to a person translates here).

/** What went wrong, by code; the English detail goes to the log. */
export type BackupErrorCode =
  | 'output_exists'
  | 'database_missing'
  | 'integrity_failed'
  | 'tool_missing'
  | 'tool_failed'
  | 'file_missing'
  | 'not_a_backup'
  | 'unsupported_version'
  | 'damaged'
  | 'wrong_key'
  | 'engine_mismatch'
  | 'target_not_empty'
  | 'data_dir_in_use'
  | 'manifest_mismatch'
  | 'too_large';

const engineNames = { sqlite: '内置 SQLite 数据库', postgres: 'PostgreSQL 数据库' } as const;
export type BackupEngine = keyof typeof engineNames;

export const backupErrors = {
  output_exists: (file: string) => `备份文件已存在：${file}（不会覆盖，请换一个文件名）`,
  database_missing: (file: string) => `没有可备份的数据库：${file} 不存在`,
  integrity_failed: (detail: string) => `数据库副本完整性检查未通过，未生成备份：${detail}`,
  tool_missing: (tool: string) =>
    `找不到 ${tool}：请安装 PostgreSQL 客户端（如 apt-get install postgresql-client-15），或把它所在目录加入 PATH`,
  tool_failed: (tool: string, detail: string) => `${tool} 执行失败：${detail}`,
  file_missing: (file: string) => `备份文件不存在：${file}`,
  not_a_backup: (file: string) => `${file} 不是石榴籽备份文件`,
  unsupported_version: (version: number) => `备份文件格式版本 ${version} 不受支持，请用更新版本的程序恢复`,
  damaged: () => '备份文件已损坏或被改动（加密校验未通过），未恢复任何数据',
  wrong_key: (backupKeyId: string, keyId: string, origin: string) =>
    `密钥不符：该备份由密钥编号 ${backupKeyId} 加密，当前密钥（${origin}）编号为 ${keyId}。` +
    '请用 --key-file 指定生成该备份时使用的主密钥文件。未恢复任何数据',
  engine_mismatch: (backup: BackupEngine, target: BackupEngine) =>
    `数据库类型不符：该备份来自${engineNames[backup]}，当前配置的是${engineNames[target]}` +
    `（${backup === 'postgres' ? '请设置 DATABASE_URL' : '请去掉 DATABASE_URL'}）。未恢复任何数据`,
  target_not_empty: (target: string, sqlite: boolean) =>
    sqlite
      ? `数据目录中已有数据库：${target}。请恢复到新的数据目录（SHILIUZI_DATA_DIR），或加 --force 替换（原数据库改名保留）`
      : `目标数据库不是空库：${target}。请先新建一个空数据库并把 DATABASE_URL 指向它`,
  data_dir_in_use: (dataDir: string) => `数据目录 ${dataDir} 正被运行中的服务使用，请先停止服务再恢复`,
  manifest_mismatch: (problems: string[]) =>
    `恢复后的数据与备份清单不一致，恢复结果不可信：\n  ${problems.join('\n  ')}`,
  too_large: () =>
    '数据库超过单个备份文件的上限（64 GiB），请改用 pg_basebackup 与 WAL 归档（见 docs/BACKUP.md）',
} as const;

export const manifestProblems = {
  missingTable: (table: string) => `表 ${table} 缺失`,
  extraTable: (table: string) => `多出表 ${table}`,
  rows: (table: string, expected: number, actual: number) =>
    `表 ${table} 应有 ${expected} 行，实有 ${actual} 行`,
  checksum: (table: string) => `表 ${table} 的内容校验和不符`,
};

const keyErrorMessages: Record<KeyError['code'], (file: string | undefined) => string> = {
  master_key_missing: (file) =>
    file
      ? `找不到主密钥：未设置 SHILIUZI_MASTER_KEY 或 SHILIUZI_KEY_FILE，数据目录中也没有 ${file}。` +
        '恢复备份时请用 --key-file 指定生成该备份时使用的主密钥文件'
      : '生产模式未配置主密钥：请设置 SHILIUZI_MASTER_KEY 或 SHILIUZI_KEY_FILE（生产模式不会自动生成密钥，见 docs/BACKUP.md）；' +
        '恢复备份时也可用 --key-file 指定生成该备份时使用的主密钥文件',
  master_key_invalid: () =>
    'SHILIUZI_MASTER_KEY 格式不正确：应为 32 字节密钥的 base64（44 个字符）或 64 位十六进制',
  key_file_unreadable: (file) => `无法读取密钥文件：${file ?? ''}`,
  key_file_invalid: (file) =>
    `密钥文件格式不正确：${file ?? ''}（应为 32 字节，或一行 base64 / 64 位十六进制文本）`,
};

/** The Chinese message for a key error. */
export function keyErrorMessage(error: KeyError): string {
  return keyErrorMessages[error.code](error.file);
}

const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} 秒`;
const formatCount = (n: number) => n.toLocaleString('en-US');

export const backupMessages = {
  written: (r: {
    file: string;
    engine: BackupEngine;
    tables: number;
    rows: number;
    bytes: number;
    keyId: string;
    durationMs: number;
  }) =>
    `备份完成：${r.file}（${engineNames[r.engine]}）\n` +
    `  共 ${r.tables} 张表，${formatCount(r.rows)} 行；文件 ${formatBytes(r.bytes)}，已加密（AES-256-GCM，密钥编号 ${r.keyId}）；用时 ${formatSeconds(r.durationMs)}\n` +
    '  恢复时需要同一主密钥，请另行妥善保管密钥（见 docs/BACKUP.md）',
  restored: (r: {
    target: string;
    engine: BackupEngine;
    createdAt: string;
    keyId: string;
    tables: { name: string; rows: number }[];
    rows: number;
    durationMs: number;
  }) =>
    [
      `恢复完成：${r.target}（${engineNames[r.engine]}）`,
      `  备份时间 ${r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}，密钥编号 ${r.keyId}`,
      `  共 ${r.tables.length} 张表，${formatCount(r.rows)} 行，每张表的行数和校验和均与备份清单一致；用时 ${formatSeconds(r.durationMs)}`,
      ...r.tables.map((t) => `    ${t.name.padEnd(24)} ${formatCount(t.rows).padStart(12)} 行`),
    ].join('\n'),
  interrupted: '已中断：临时文件已删除，备份或恢复未完成',
  replacedKept: (file: string) => `  原数据库已改名保留：${file}（确认无误后可删除）`,
  keyInstalled: (file: string) => `  已把所用主密钥复制到 ${file}（权限 0600），此数据目录今后用它加密`,
  keyDiffers: (backupKeyId: string, keyId: string) =>
    `  注意：此备份的密钥编号为 ${backupKeyId}，而当前配置的主密钥编号为 ${keyId}；今后的备份将用当前密钥加密，请保留旧密钥以便恢复旧备份`,
  newerSchema: (backupVersion: string, latest: string) =>
    `  注意：备份来自较新版本的程序（数据库迁移 ${backupVersion}，本程序最新为 ${latest}），请先升级程序再启动服务`,
};
