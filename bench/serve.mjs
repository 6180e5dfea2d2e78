#!/usr/bin/env node
// `hftlab serve` under load, on loopback only, every loop bounded in count and time (issue #21):
//   1. latency, one call at a time: an empty health Check (the transport's floor) against a
//      Meanrev call on an inline table of 1,000 prices (p50, p99, in microseconds);
//   2. Meanrev throughput with 1, 8 and 64 concurrent clients (calls/s, and the server's CPU
//      per call over all its threads), each for PHASE_SECONDS;
//   3. small calls (the same Meanrev) one at a time while a large HMM fit runs (4 states,
//      30 restarts on fixtures/sp500-2000.csv): their p50/p99 against phase 1's;
//   4. memory: the server's resident set (VmRSS, sampled every second) under 64 clients
//      for LOAD_SECONDS.
//
//   npm run build && node bench/serve.mjs              # PHASE_SECONDS=5 LOAD_SECONDS=60
//   PHASE_SECONDS=2 LOAD_SECONDS=10 node bench/serve.mjs     # a quick look
//
// The clients run in this process, on the same 2 cores as the server: every figure includes
// their own CPU, so a server on its own machine would do better. Results go to stdout as JSON.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const seconds = Number(process.env.PHASE_SECONDS ?? 5);
const loadSeconds = Number(process.env.LOAD_SECONDS ?? 60);
const latencyCalls = Number(process.env.CALLS ?? 2000);
const LOADER = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: false,
  oneofs: true,
  includeDirs: [join(root, "proto")],
};

function serviceOf(file, path) {
  let node = grpc.loadPackageDefinition(protoLoader.loadSync(file, LOADER));
  for (const name of path) node = node[name];
  return node;
}
const Hftlab = serviceOf("hftlab/v1/hftlab.proto", ["hftlab", "v1", "Hftlab"]);
const MEANREV = Hftlab.service.Meanrev;
const Health = serviceOf("grpc/health/v1/health.proto", ["grpc", "health", "v1", "Health"]);

/** 1,000 prices of a seeded random walk (a fixed LCG: the same table every run). */
function priceTable(rows) {
  let state = 42;
  const uniform = () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
  const values = [];
  let price = 100;
  for (let i = 0; i < rows; i++) {
    price *= 1 + (uniform() - 0.5) * 0.02;
    values.push(price);
  }
  return { time: values.map((_, i) => String(i)), columns: [{ name: "X", values }] };
}
const SMALL = { data: priceTable(1000) };
/**
 * The Meanrev request encoded once: the clients share the server's 2 cores, and encoding 1,000
 * doubles and 1,000 strings per call would measure the client's protobuf encoder more than the
 * server. The bytes on the wire are the same; responses are decoded as any client would.
 */
const SMALL_BYTES = MEANREV.requestSerialize(SMALL);

function startServer() {
  const child = spawn(
    process.execPath,
    [join(root, "bin/hftlab"), "serve", "--listen", "127.0.0.1:0", "--data-dir", join(root, "fixtures")],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  return new Promise((resolveStart, reject) => {
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /listening on (\S+)/.exec(stderr);
      if (match) resolveStart({ child, address: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

/** Clients on separate connections (grpc-js would otherwise share one). */
function clients(Service, address, count) {
  return Array.from(
    { length: count },
    () => new Service(address, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 }),
  );
}

function call(client, method, request) {
  if (request === SMALL) return meanrevCall(client);
  return new Promise((resolveCall, reject) =>
    client[method](request, { deadline: Date.now() + 120_000 }, (error, reply) =>
      error ? reject(error) : resolveCall(reply),
    ),
  );
}

function meanrevCall(client) {
  return new Promise((resolveCall, reject) =>
    client.makeUnaryRequest(
      MEANREV.path,
      (bytes) => bytes,
      MEANREV.responseDeserialize,
      SMALL_BYTES,
      new grpc.Metadata(),
      { deadline: Date.now() + 120_000 },
      (error, reply) => (error ? reject(error) : resolveCall(reply)),
    ),
  );
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(micros) {
  const sorted = [...micros].sort((a, b) => a - b);
  return {
    calls: sorted.length,
    p50_us: Math.round(quantile(sorted, 0.5)),
    p99_us: Math.round(quantile(sorted, 0.99)),
  };
}

/** One call at a time, `count` calls or `limitSeconds`, whichever ends first; microseconds each. */
async function sequential(client, method, request, count, limitSeconds, keepGoing = () => true) {
  const micros = [];
  const end = performance.now() + limitSeconds * 1000;
  while (micros.length < count && performance.now() < end && keepGoing()) {
    const t0 = performance.now();
    await call(client, method, request);
    micros.push((performance.now() - t0) * 1000);
  }
  return micros;
}

/** The server's CPU seconds so far, all threads (utime + stime of /proc/PID/stat, in clock ticks of 1/100 s). */
function serverCpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * `concurrency` loops, each one call at a time, for `limitSeconds`: calls per second, and the
 * server's CPU per call (microseconds, every thread), which the machine's other load moves less.
 */
async function throughput(pool, concurrency, limitSeconds, pid, method = "Meanrev", request = SMALL) {
  const cpu0 = serverCpuSeconds(pid);
  let done = 0;
  const end = performance.now() + limitSeconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const client = pool[i % pool.length];
      while (performance.now() < end) {
        await call(client, method, request);
        done++;
      }
    }),
  );
  const callsPerSecond = Math.round(done / ((performance.now() - t0) / 1000));
  return { callsPerSecond, serverCpuPerCall_us: Math.round(((serverCpuSeconds(pid) - cpu0) / done) * 1e6) };
}

function residentMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

const { child, address } = await startServer();
const report = { address, seconds, loadSeconds };
try {
  const [hftlab] = clients(Hftlab, address, 1);
  const [health] = clients(Health, address, 1);
  await sequential(health, "Check", {}, 300, 10);
  await sequential(hftlab, "Meanrev", SMALL, 300, 20);
  const healthLatency = summary(await sequential(health, "Check", {}, latencyCalls, 30));
  const meanrevLatency = summary(await sequential(hftlab, "Meanrev", SMALL, latencyCalls, 60));
  report.latency = {
    health: healthLatency,
    meanrev1000: meanrevLatency,
    p50Ratio: +(meanrevLatency.p50_us / healthLatency.p50_us).toFixed(2),
  };

  const pool = clients(Hftlab, address, 16);
  report.throughput = {};
  for (const concurrency of [1, 8, 64])
    report.throughput[`clients${concurrency}`] = await throughput(pool, concurrency, seconds, child.pid);
  // The transport's ceiling: empty health Checks from 64 clients, with the same client CPU in the way.
  const healthPool = clients(Health, address, 16);
  report.throughput.healthClients64 = await throughput(healthPool, 64, seconds, child.pid, "Check", {});

  let fitting = true;
  const fitStart = performance.now();
  const fit = call(hftlab, "Hmm", { path: "sp500-2000.csv", states: 4, restarts: 30 }).finally(
    () => (fitting = false),
  );
  const during = await sequential(hftlab, "Meanrev", SMALL, 100_000, 120, () => fitting);
  await fit;
  report.duringFit = { fitSeconds: +((performance.now() - fitStart) / 1000).toFixed(2), ...summary(during) };

  const samples = [residentMiB(child.pid)];
  const sampler = setInterval(() => samples.push(residentMiB(child.pid)), 1000);
  const { callsPerSecond } = await throughput(pool, 64, loadSeconds, child.pid);
  clearInterval(sampler);
  samples.push(residentMiB(child.pid));
  report.memory = {
    callsPerSecond,
    rssStartMiB: samples[0],
    rssMaxMiB: Math.max(...samples),
    rssEndMiB: samples.at(-1),
  };
  for (const client of [...pool, ...healthPool, hftlab, health]) client.close();
} finally {
  child.kill("SIGTERM");
}
console.log(JSON.stringify(report, null, 2));
