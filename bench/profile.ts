/**
 * `--profile`: a CPU profile of the server's thread during an extra load run, written as a
 * .cpuprofile (open it in Chrome DevTools) and summarised: where the request time goes by layer
 * (self time) and by the app's own functions (inclusive time).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Runs `work` while the V8 sampling profiler records this thread (every 100 µs). */
export async function profileDuring<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return { result, profile };
  } finally {
    await session.post('Profiler.disable');
    session.disconnect();
  }
}

/** The layer a frame belongs to, from its script URL (or its name, for native code). */
function layerOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  // better-sqlite3's statement.all is native; V8 books part of its time to the JS frame that calls
  // it (Kysely's SqliteDriver.executeQuery, whose own code is a few lines).
  if (
    (!url && ['all', 'get', 'run', 'iterate'].includes(functionName)) ||
    url.endsWith('/sqlite-driver.js')
  ) {
    return 'SQLite: statement execution (native, incl. row objects)';
  }
  if (!url) {
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(program)') return 'V8 / native (program)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (pkg === 'kysely') return 'kysely';
    if (pkg === 'better-sqlite3-multiple-ciphers') return 'better-sqlite3-multiple-ciphers (SQLite)';
    if (pkg.startsWith('pg')) return 'pg (driver)';
    if (pkg === 'zod' || pkg === 'fastify-type-provider-zod')
      return 'zod (validation, response serialisation)';
    if (
      pkg === 'fastify' ||
      pkg.startsWith('@fastify/') ||
      ['find-my-way', 'light-my-request', 'avvio'].includes(pkg)
    ) {
      return 'fastify';
    }
    return `package: ${pkg}`;
  }
  if (url.startsWith('node:')) return 'node core (http, net, streams)';
  const own = /\/(server\/src|shared\/src|bench)\/(.+)$/.exec(url);
  if (own) return `${own[1] === 'bench' ? 'bench' : own[1]!.split('/')[0]}: ${own[2]}`;
  return url;
}

/**
 * Self time by layer, and inclusive time of the app's own functions, as text; with `rows`, also in µs
 * per row (the work of a run over that many rows).
 */
export function summarizeProfile(profile: CpuProfile, top = 20, rows?: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  const isProfiler = new Map<number, boolean>();
  const underProfiler = (id: number): boolean => {
    let known = isProfiler.get(id);
    if (known === undefined) {
      const p = parent.get(id);
      known = byId.get(id)!.callFrame.url === 'node:inspector' || (p !== undefined && underProfiler(p));
      isProfiler.set(id, known);
    }
    return known;
  };
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    if (underProfiler(id)) return; // stopping the profiler itself
    const layer = layerOf(node.callFrame);
    if (layer === 'idle') {
      idle += dt;
      return;
    }
    busy += dt;
    self.set(layer, (self.get(layer) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const own = /\/(server\/src|shared\/src)\/(.+)$/.exec(frame.url);
      if (!own) continue;
      const key = `${frame.functionName || '(anonymous)'} (${own[2]})`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  const pct = (v: number) =>
    `${((100 * v) / busy).toFixed(1).padStart(5)}%` +
    (rows ? ` ${(v / rows).toFixed(1).padStart(7)} µs/row` : '');
  const lines = [
    `  busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms of the server thread`,
    '  self time by layer (share of busy time):',
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([layer, v]) => `    ${pct(v)}  ${layer}`),
    '  inclusive time of the app’s functions (share of busy time, a caller includes its callees):',
    ...[...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, v]) => `    ${pct(v)}  ${fn}`),
  ];
  return lines.join('\n');
}

export function writeProfile(file: string, profile: CpuProfile): void {
  fs.writeFileSync(file, JSON.stringify(profile));
}
