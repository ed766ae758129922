// Child process: N sequential WebSocket echo round-trips; prints {ms, n} as JSON.
// usage: node bench/lib/ws-echo.mjs ws://127.0.0.1:PORT/ws HOST N
import WebSocket from 'ws';

const [url, host, count] = process.argv.slice(2);
const n = Number(count);
const ws = new WebSocket(url, { headers: host && host !== '-' ? { Host: host } : {}, perMessageDeflate: false });
const fail = (why) => { console.error(why); process.exit(1); };
setTimeout(() => fail(`timed out after 60 s`), 60_000).unref();
ws.on('error', (e) => fail(`websocket error: ${e.message}`));
ws.on('unexpected-response', (_req, res) => fail(`upgrade refused: HTTP ${res.statusCode}`));
ws.on('open', () => {
  let i = 0;
  const t0 = performance.now();
  const send = () => ws.send(`ping-${i}`);
  ws.on('message', (data) => {
    if (String(data) !== `ping-${i}`) fail(`echo mismatch: sent ping-${i}, got ${String(data).slice(0, 40)}`);
    if (++i < n) return send();
    console.log(JSON.stringify({ ms: performance.now() - t0, n }));
    ws.close();
    process.exit(0);
  });
  send();
});
