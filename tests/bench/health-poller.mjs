/**
 * Another user's client, in a process of its own: asks GET <url>/healthz every 10 ms until the parent
 * says "stop", then sends back every request's latency (ms); says "ready" once warmed up. Kept apart from the bench process, which
 * holds the upload and the baseline's rows, so that its garbage collection is not counted as the
 * server's delay. Plain JavaScript: it starts in a few milliseconds, without a loader.
 */
let stopped = false;
process.on("message", (message) => {
  if (message === "stop") stopped = true;
});
const url = process.argv[2];
const ask = async () => {
  const started = performance.now();
  await (await fetch(`${url}/healthz`)).text();
  return performance.now() - started;
};
// The first requests of a process load fetch's code and open the connection (tens of ms): not the server's.
for (let i = 0; i < 20; i++) await ask();
process.send("ready");
const samples = [];
while (!stopped) {
  samples.push(await ask());
  await new Promise((resolve) => setTimeout(resolve, 10));
}
process.send(samples, () => process.exit(0));
