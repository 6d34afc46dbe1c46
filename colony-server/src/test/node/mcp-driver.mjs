// Drives Colony's MCP endpoint with the official TypeScript client (@modelcontextprotocol/sdk), one scenario
// per run: node mcp-driver.mjs <scenario> <url> [args...]. Prints one JSON line of findings; exits 0 when
// every check of the scenario held, 1 (with the reason on stderr) otherwise. McpNodeClientTest runs it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [scenario, url, ...rest] = process.argv.slice(2);
const TOOLS = ['colony_join', 'swarm_status', 'task_submit', 'task_claim', 'task_progress', 'task_finish',
  'message_send', 'inbox_read', 'memory_get', 'memory_put', 'lock', 'events_wait'];

function check(condition, what) {
  if (!condition) {
    throw new Error('check failed: ' + what);
  }
}

async function connect(token, headers = {}) {
  const all = { ...headers };
  if (token) all.Authorization = 'Bearer ' + token;
  const client = new Client({ name: 'colony-node-test', version: '1.0.0' });
  if (url.startsWith('stdio:')) {
    const [command, ...args] = url.substring(6).split(' ');
    await client.connect(new StdioClientTransport({ command, args, env: process.env, stderr: 'inherit' }));
  } else {
    await client.connect(new StreamableHTTPClientTransport(new URL(url + '/mcp'), { requestInit: { headers: all } }));
  }
  return client;
}

/** Calls a tool; returns {ok, body} with the parsed JSON text of the result. */
async function call(client, name, args) {
  const t0 = Date.now();
  const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 });
  if (process.env.MCP_TRACE) console.error('[trace] ' + name + ' ' + (Date.now() - t0) + ' ms');
  const body = JSON.parse(r.content[0].text);
  return { ok: !r.isError, body };
}

async function must(client, name, args) {
  const r = await call(client, name, args);
  check(r.ok, name + ' succeeded: ' + JSON.stringify(r.body));
  return r.body;
}

async function tools(token) {
  const c = await connect(token);
  const listed = await c.listTools();
  const names = listed.tools.map(t => t.name);
  check(JSON.stringify(names) === JSON.stringify(TOOLS), 'exact tool list, got ' + JSON.stringify(names));
  const bytes = Buffer.byteLength(JSON.stringify(listed));
  check(bytes < 16384, 'tools/list under 16 KB, got ' + bytes);
  await must(c, 'colony_join', { agent: 'n1', role: 'worker' });
  await must(c, 'colony_join', { agent: 'n2', role: 'reviewer' });
  await must(c, 'task_submit', { agent: 'n1', id: 'nt1', type: 'review', payload: { pr: 1 } });
  await must(c, 'task_submit', { agent: 'n1', id: 'nt2', type: 'review', payload: { pr: 2 } });
  const status = await must(c, 'swarm_status', { agent: 'n1' });
  check(status.result.tasks.queued === 2, 'two queued, got ' + JSON.stringify(status.result));
  const claim = await must(c, 'task_claim', { agent: 'n1', types: ['review'], wait: 1, lease: 60 });
  check(claim.result.claimed && claim.you.leases.length === 1, 'claimed with a lease: ' + JSON.stringify(claim));
  const progress = await must(c, 'task_progress', { agent: 'n1', taskId: claim.result.taskId, token: claim.result.token, extend: 300 });
  await must(c, 'task_finish', { agent: 'n1', taskId: claim.result.taskId, token: claim.result.token, outcome: 'completed', result: { lgtm: true } });
  const second = await must(c, 'task_claim', { agent: 'n1', types: ['review'], wait: 1 });
  await must(c, 'task_finish', { agent: 'n1', taskId: second.result.taskId, token: second.result.token, outcome: 'failed', reason: 'flaky', retryable: false });
  await must(c, 'message_send', { agent: 'n1', to: 'n2', type: 'question', payload: { q: 'ok?' } });
  const inbox = await must(c, 'inbox_read', { agent: 'n2', wait: 5 });
  check(inbox.result.messages.length === 1 && inbox.result.messages[0].message.payload.q === 'ok?', 'n2 got it: ' + JSON.stringify(inbox));
  check(inbox.you.unread === 1, 'unread 1 before the ack: ' + JSON.stringify(inbox.you));
  const acked = await must(c, 'inbox_read', { agent: 'n2', after: inbox.result.cursor });
  check(acked.you.unread === 0, 'unread 0 after the ack: ' + JSON.stringify(acked.you));
  await must(c, 'message_send', { agent: 'n1', role: 'reviewer', type: 'note', payload: 'broadcast' });
  const put = await must(c, 'memory_put', { agent: 'n1', namespace: 'notes', key: 'plan', value: { step: 1 }, expectVersion: 0 });
  const got = await must(c, 'memory_get', { agent: 'n1', namespace: 'notes', key: 'plan' });
  check(got.result.version === put.result.version && got.result.value.step === 1, 'read back: ' + JSON.stringify(got));
  const lock = await must(c, 'lock', { agent: 'n1', action: 'acquire', lock: 'deploy', lease: 30 });
  const taken = await call(c, 'lock', { agent: 'n2', action: 'acquire', lock: 'deploy' });
  check(!taken.ok && taken.body.error === 'NOT_LEADER', 'second acquire refused: ' + JSON.stringify(taken.body));
  await must(c, 'memory_put', { agent: 'n1', namespace: 'notes', key: 'fenced', value: 1, fence: { lock: 'deploy', term: lock.result.term } });
  await must(c, 'lock', { agent: 'n1', action: 'renew', lock: 'deploy', term: lock.result.term });
  await must(c, 'lock', { agent: 'n1', action: 'release', lock: 'deploy', term: lock.result.term });
  const events = await must(c, 'events_wait', { agent: 'n1', pattern: 'nothing.>', wait: 1 });
  check(events.result.events.length === 0, 'no events: ' + JSON.stringify(events));
  await c.close();
  return { bytes, claimed: claim.result.taskId, failed: second.result.taskId, lockTerm: lock.result.term };
}

async function expectHttpError(token, headers, status) {
  try {
    const c = await connect(token, headers);
    await c.close();
  } catch (e) {
    check(e.code === status || String(e.message).includes('' + status), 'HTTP ' + status + ', got ' + e.message);
    return { status, message: String(e.message).substring(0, 200) };
  }
  throw new Error('check failed: connecting succeeded, expected HTTP ' + status);
}

async function forbidden(token) {
  let t0 = Date.now();
  const c = await connect(token);
  if (process.env.MCP_TRACE) console.error('[trace] connect ' + (Date.now() - t0) + ' ms');
  const r = await call(c, 'colony_join', { agent: 'eve' });
  check(!r.ok && r.body.error === 'FORBIDDEN' && r.body.detail.includes('eve'), 'refused: ' + JSON.stringify(r.body));
  t0 = Date.now();
  await c.close();
  if (process.env.MCP_TRACE) console.error('[trace] close ' + (Date.now() - t0) + ' ms');
  return r.body;
}

async function concurrent(token, n, increments) {
  const clients = await Promise.all(Array.from({ length: n }, () => connect(token)));
  await Promise.all(clients.map((c, i) => must(c, 'colony_join', { agent: 'c' + i })));
  await Promise.all(clients.map((c, i) => must(c, 'memory_put', { agent: 'c' + i, namespace: 'shared', key: 'agent' + i, value: i })));
  let conflicts = 0;
  async function increment(c, agent) {
    for (;;) {
      const got = await call(c, 'memory_get', { agent, namespace: 'shared', key: 'counter' });
      const version = got.ok ? got.body.result.version : 0;
      const value = got.ok ? got.body.result.value : 0;
      const put = await call(c, 'memory_put', { agent, namespace: 'shared', key: 'counter', value: value + 1, expectVersion: version });
      if (put.ok) return;
      check(put.body.error === 'CAS_CONFLICT', 'only CAS conflicts: ' + JSON.stringify(put.body));
      conflicts++;
    }
  }
  await Promise.all(clients.map(async (c, i) => {
    for (let k = 0; k < increments; k++) await increment(c, 'c' + i);
  }));
  await Promise.all(clients.map(c => c.close()));
  return { clients: n, increments: n * increments, conflicts };
}

/** Claims one task and never finishes it: the test kills this process with SIGKILL. */
async function claimAndHang(token, agent) {
  const c = await connect(token);
  await must(c, 'colony_join', { agent });
  const claim = await must(c, 'task_claim', { agent, types: ['job'], wait: 25, lease: 3 });
  check(claim.result.claimed, 'claimed');
  console.log(JSON.stringify({ claimed: claim.result.taskId }));
  await new Promise(() => {});
}

async function workers(token, n, total) {
  const clients = await Promise.all(Array.from({ length: n }, () => connect(token)));
  await Promise.all(clients.map((c, i) => must(c, 'colony_join', { agent: 'w' + i })));
  const finished = [];
  await Promise.all(clients.map(async (c, i) => {
    const agent = 'w' + i;
    for (;;) {
      const claim = await must(c, 'task_claim', { agent, types: ['job'], wait: 2, lease: 3 });
      if (!claim.result.claimed) {
        const status = await must(c, 'swarm_status', { agent });
        if (status.result.tasks.queued === 0 && status.result.tasks.claimed === 0) return;
        continue;
      }
      const done = await call(c, 'task_finish', { agent, taskId: claim.result.taskId, token: claim.result.token, outcome: 'completed', result: { by: agent } });
      check(done.ok, 'finish of a live lease: ' + JSON.stringify(done.body));
      finished.push(claim.result.taskId);
    }
  }));
  await Promise.all(clients.map(c => c.close()));
  const unique = new Set(finished);
  check(unique.size === finished.length, 'no task finished twice');
  check(unique.size === total, 'every task finished: ' + unique.size + ' of ' + total);
  return { finished: finished.length };
}

const scenarios = {
  tools: () => tools(rest[0]),
  unauthorized: () => expectHttpError(null, {}, 401),
  origin: () => expectHttpError(rest[0], { Origin: 'https://evil.example' }, 403),
  forbidden: () => forbidden(rest[0]),
  concurrent: () => concurrent(rest[0], Number(rest[1]), Number(rest[2])),
  'claim-and-hang': () => claimAndHang(rest[0], rest[1]),
  workers: () => workers(rest[0], Number(rest[1]), Number(rest[2])),
};

try {
  const found = await scenarios[scenario]();
  console.log(JSON.stringify(found));
  process.exit(0);
} catch (e) {
  console.error(scenario + ': ' + (e.stack || e));
  process.exit(1);
}
