// Test helper (backup.service.db.test.ts): another process that keeps writing while a backup runs.
// Each transaction inserts one login_throttle row and one change_log row, so a consistent snapshot
// holds as many of the one as of the other. Target: argv[2] is a SQLite file or a postgres:// URL;
// argv[3] is the SQLite file's key (hex) when it is encrypted.
// Prints "ready" after its first commit; on "stop" (stdin) prints the number of commits and exits.
import crypto from 'node:crypto';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';

const target = process.argv[2];
let stopping = false;
let committed = 0;
process.stdin.on('data', () => {
  stopping = true;
});

const row = (n) => ({
  username: `writer-${n}`,
  id: crypto.randomUUID(),
  entityId: crypto.randomUUID(),
  at: new Date().toISOString(),
  after: JSON.stringify({ name: `并发写入${n}` }),
});

const throttleSql = 'insert into login_throttle (username, failures, locked_until, updated_at) values ';
const changeSql =
  'insert into change_log (id, entity_type, entity_id, action, version, actor_name, at, after) values ';

if (target.startsWith('postgres')) {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  while (!stopping) {
    const r = row(committed);
    await client.query('begin');
    // A writer of the system's own: history rows without an org unit pass the row-level security.
    await client.query(`select set_config('shiliuzi.system', 'on', true)`);
    await client.query(`${throttleSql}($1, 1, null, $2)`, [r.username, r.at]);
    await client.query(`${changeSql}($1, 'resident', $2, 'create', 1, 'writer', $3, $4)`, [
      r.id,
      r.entityId,
      r.at,
      r.after,
    ]);
    await client.query('commit');
    if (++committed === 1) process.stdout.write('ready\n');
  }
  await client.end();
} else {
  const sqlite = new SqliteDatabase(target);
  if (process.argv[3]) sqlite.pragma(`key = "x'${process.argv[3]}'"`);
  sqlite.pragma('busy_timeout = 5000');
  const throttle = sqlite.prepare(`${throttleSql}(?, 1, null, ?)`);
  const change = sqlite.prepare(`${changeSql}(?, 'resident', ?, 'create', 1, 'writer', ?, ?)`);
  const write = sqlite.transaction((r) => {
    throttle.run(r.username, r.at);
    change.run(r.id, r.entityId, r.at, r.after);
  });
  while (!stopping) {
    write.immediate(row(committed));
    if (++committed === 1) process.stdout.write('ready\n');
    // Let stdin be read between transactions.
    await new Promise((resolve) => setImmediate(resolve));
  }
  sqlite.close();
}
process.stdout.write(`committed ${committed}\n`);
process.stdin.destroy();
