/**
 * The benchmark's HTTP client, run in a child process so that the server has the main process (and
 * its core) to itself: sequential requests over one keep-alive connection for latency, autocannon
 * for load. Requests go over real loopback TCP.
 */
import http from 'node:http';
import autocannon from 'autocannon';

export interface LatencyJob {
  kind: 'latency';
  origin: string;
  cookie: string;
  /** Paths to request in turn (cycled); the first `warmup` requests are not recorded. */
  paths: string[];
  warmup: number;
  /** Warm-up ends after this long, once 3 requests are done. */
  warmupMaxMs: number;
  /** Recorded requests; fewer when `maxMs` runs out first. */
  count: number;
  maxMs: number;
}

export interface LoadJob {
  kind: 'load';
  origin: string;
  cookie: string;
  paths: string[];
  connections: number;
  seconds: number;
}

export interface LatencyResult {
  /** Milliseconds per recorded request. */
  durations: number[];
  /** Requests whose status was not 200. */
  failures: number;
  firstFailure: string | null;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Milliseconds per 2xx response, as measured by autocannon. */
  latencies: number[];
  non2xx: number;
  errors: number;
}

async function runLatency(job: LatencyJob): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { cookie: job.cookie };
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get(job.origin + path, { agent, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        })
        .on('error', reject);
    });
  const result: LatencyResult = { durations: [], failures: 0, firstFailure: null };
  let i = 0;
  const next = () => job.paths[i++ % job.paths.length]!;
  const warmupEnd = performance.now() + job.warmupMaxMs;
  for (let w = 0; w < job.warmup && (w < 3 || performance.now() < warmupEnd); w++) await get(next());
  const deadline = performance.now() + job.maxMs;
  while (result.durations.length < job.count && performance.now() < deadline) {
    const path = next();
    const started = performance.now();
    const response = await get(path);
    result.durations.push(performance.now() - started);
    if (response.status !== 200) {
      result.failures += 1;
      result.firstFailure ??= `${response.status} ${path}: ${response.body.slice(0, 300)}`;
    }
  }
  agent.destroy();
  return result;
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.origin,
        connections: job.connections,
        duration: job.seconds,
        headers: { cookie: job.cookie },
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: job.paths[i++ % job.paths.length]! }),
          },
        ],
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latencies.push(responseTime);
    });
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    latencies,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

// Entry point as a forked child: jobs in, results out, until the parent disconnects.
if (process.send && process.argv.includes('--http-child')) {
  process.on('message', (job: LatencyJob | LoadJob) => {
    const run = job.kind === 'latency' ? runLatency(job) : runLoad(job);
    run.then(
      (result) => process.send!({ ok: true, result }),
      (error: unknown) => process.send!({ ok: false, error: String((error as Error).stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
