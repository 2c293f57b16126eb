#!/usr/bin/env node
// Deterministic synthetic corpus of Mandarin call-centre calls for the benchmark (npm run bench).
//
//   node bench/generate.mjs --calls 10000 --out bench/.corpus/c10000-s1 [--seed 1] [--agents 200]
//
// Every call is drawn from its own PRNG stream (seed, call index), so a call's content does not depend
// on how many calls are generated or how they are split into files. Calls have 20–60 timed turns
// (seconds), agents speak ~135 Han characters a minute, and a share of calls breaks each rule of the
// default rubric (rubrics/zh-phone.yaml); bench/.corpus/…/.bench/manifest.json counts them.
//
// Layout (callqa reads the directory recursively, sorted; the .bench folder is skipped):
//   jsonl/part-00001.jsonl         85 % of the calls, 1,000 a file
//   json-array/batch-00001.json     7 %, arrays of 50 calls
//   json/00000/<call_id>.json       4 %, one call a file (1,000 files a folder)
//   txt/00000/<call_id>.txt         4 %, the callqa plain-text format (src/ingest/text.ts)
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as T from './templates.mjs';

// 2: a late greeting always starts after 10 s (in version 1, 1 call in 10,000 started at 9.9 s).
export const GENERATOR_VERSION = 2;

// ---------------------------------------------------------------------------------------------- PRNG

/** A 32-bit hash of (seed, a, b): independent streams per call and per agent. */
function mix(seed, a, b = 0) {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [a, b]) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32 with helpers. */
function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    chance: (p) => next() < p,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    range: (lo, hi) => lo + next() * (hi - lo),
    pick: (list) => list[Math.floor(next() * list.length)],
    normal: (mean, sd) => {
      const u = Math.max(next(), 1e-12);
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    digits: (n) => {
      let out = '';
      for (let i = 0; i < n; i++) out += String(Math.floor(next() * 10));
      return out;
    },
  };
  return r;
}

// -------------------------------------------------------------------------------------------- agents

export const RULE_IDS = [
  'greeting',
  'banned-phrases',
  'speech-rate',
  'hangup-order',
  'closing',
  'colloquial-words',
  'refusal-wording',
  'confirm-understanding',
  'empathy-on-complaint',
  'dead-air',
  'interruption',
  'answer-speed',
  'privacy',
];

/** Base chance a call breaks each rule (an agent's own propensity scales it). */
const VIOLATION_RATE = {
  badGreeting: 0.05,
  lateGreeting: 0.02,
  banned: 0.07,
  fast: 0.035,
  slow: 0.035,
  agentHangup: 0.05,
  missingClosing: 0.08,
  colloquial: 0.1,
  flatRefusal: 0.3, // of the calls with a demand the agent refuses
  noConfirm: 0.08,
  noEmpathy: 0.3, // of the calls with a complaint
  deadAir: 0.05,
  longHold: 0.02,
  interruption: 0.06,
  slowAnswer: 0.07,
  privacy: 0.015,
};

export function makeAgents(seed, count) {
  const agents = [];
  const used = new Set();
  for (let k = 0; k < count; k++) {
    const r = rng(mix(seed, 0xa9e47, k));
    let name;
    do name = r.pick(T.SURNAMES) + r.pick(T.GIVEN) + (r.chance(0.6) ? r.pick(T.GIVEN) : '');
    while (used.has(name));
    used.add(name);
    const domain = T.DOMAINS[k % T.DOMAINS.length];
    agents.push({
      id: `A${1001 + k}`,
      name,
      staff: String(1001 + k),
      domain,
      org: domain.orgs[Math.floor(k / T.DOMAINS.length) % domain.orgs.length],
      rate: r.range(128, 142), // Han characters a minute
      propensity: Math.exp(r.normal(0, 0.6)), // how often this agent breaks rules (log-normal around 1)
      weight: r.range(0.5, 1.5), // share of the calls
    });
  }
  let total = 0;
  for (const a of agents) total += a.weight;
  let acc = 0;
  for (const a of agents) {
    acc += a.weight / total;
    a.cumulative = acc;
  }
  return agents;
}

function pickAgent(agents, u) {
  let lo = 0;
  let hi = agents.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (agents[mid].cumulative < u) lo = mid + 1;
    else hi = mid;
  }
  return agents[lo];
}

// --------------------------------------------------------------------------------------------- calls

const UNIT = /\p{Script=Han}|\p{Nd}|[a-zａ-ｚ]+(?:['’][a-zａ-ｚ]+)*/giu;
/** Speech units as callqa counts them (src/metrics/speech-rate.ts). */
function units(text) {
  return (text.match(UNIT) ?? []).length;
}

function fill(template, vars) {
  return template.replace(/\{(\w+)\}/g, (_, k) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`template variable {${k}} not set in ${template}`);
    return typeof v === 'function' ? v() : v;
  });
}

function mobileNumber(r) {
  return `1${r.pick(['3', '5', '7', '8', '9'])}${r.digits(9)}`;
}

/**
 * One call: the turns with roles, texts and times, and the rules it was built to break.
 * Turns are built as a script first (speaker, text, how the gap before it is timed), then timed.
 */
export function makeCall(index, seed, agents) {
  const r = rng(mix(seed, index, 0x5eed));
  const agent = pickAgent(agents, r.next());
  const p = (k) => Math.min(0.9, VIOLATION_RATE[k] * agent.propensity);
  const domain = agent.domain;
  const topic = r.pick(domain.topics);
  const csurname = r.pick(T.SURNAMES);
  const mobile = mobileNumber(r);
  const title = `${csurname}${r.chance(0.5) ? '先生' : '女士'}`;
  const vars = {
    org: agent.org,
    agentName: agent.name,
    agentSurname: agent.name[0],
    staff: agent.staff,
    timeGreeting: r.pick(['早上好', '上午好', '下午好', '您好']),
    csurname,
    cname: csurname + r.pick(T.GIVEN) + r.pick(T.GIVEN),
    title,
    account: domain.account,
    acct: () => `2${r.digits(8)}`,
    order: () => `2026${r.digits(8)}`,
    ticket: () => `GD2${r.digits(9)}`,
    last4: () => r.digits(4),
    mobile,
    mlast4: mobile.slice(7),
    mobileSpaced: `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
    amount: () => String(r.int(2, 60) * 10),
    amount2: () => String(r.int(1, 20) * 5),
    n: () => String(r.int(2, 12)),
    days: () => r.pick(['两', '三', '三到五', '五', '七']),
    hours: () => String(r.int(2, 8)),
    gb: () => String(r.pick([10, 20, 30, 40, 60, 100])),
    month: () => String(r.int(1, 12)),
    city: () => r.pick(T.CITIES),
    address: () => `${r.pick(T.CITIES)}市${r.pick(T.STREETS)}${r.int(1, 300)}号`,
    when: () => r.pick(T.WHEN),
    date: () => `${r.int(1, 12)}月${r.int(1, 28)}日`,
    wish: () => r.pick(T.WISHES),
  };
  vars.accountValue = () => fill(domain.accountValue, vars);
  const requestIndex = r.int(0, topic.request.length - 1);
  vars.detail = () => fill(topic.detail[requestIndex % topic.detail.length], vars);
  const f = (list) => fill(r.pick(list), vars);

  // Which rules this call breaks.
  const v = {
    badGreeting: r.chance(p('badGreeting')),
    lateGreeting: r.chance(p('lateGreeting')),
    banned: r.chance(p('banned')),
    agentHangup: r.chance(p('agentHangup')),
    missingClosing: r.chance(p('missingClosing')),
    colloquial: r.chance(p('colloquial')),
    noConfirm: r.chance(p('noConfirm')),
    deadAir: r.chance(p('deadAir')),
    longHold: r.chance(p('longHold')),
    interruption: r.chance(p('interruption')),
    slowAnswer: r.chance(p('slowAnswer')),
    privacy: r.chance(p('privacy')),
  };
  const demand = r.chance(0.3);
  v.flatRefusal = demand && r.chance(p('flatRefusal'));
  const complaint = r.chance(0.25);
  v.noEmpathy = complaint && r.chance(p('noEmpathy'));
  const paceDraw = r.next();
  v.fast = paceDraw < p('fast');
  v.slow = !v.fast && paceDraw < p('fast') + p('slow');
  const agentRate = v.fast ? r.range(162, 195) : v.slow ? r.range(92, 112) : Math.min(144, Math.max(126, agent.rate + r.normal(0, 2.5)));

  /** @type {{speaker:'agent'|'customer', text:string, gap?:string, overlap?:number, backchannel?:boolean}[]} */
  const script = [];
  const A = (text, extra = {}) => script.push({ speaker: 'agent', text, ...extra });
  const C = (text, extra = {}) => script.push({ speaker: 'customer', text, ...extra });

  // Opening.
  if (v.lateGreeting) {
    C(r.pick(T.CALLER_HELLO), { gap: 'first' });
    A(f(v.badGreeting ? T.BAD_GREETINGS : T.GREETINGS), { gap: 'late' });
  } else {
    A(f(v.badGreeting ? T.BAD_GREETINGS : T.GREETINGS), { gap: 'first' });
  }
  C(fill(topic.request[requestIndex], vars));
  if (v.noConfirm) {
    A(f(T.NO_CONFIRM));
    C(fill(domain.accountValue, vars) + '。');
  } else {
    A(f(T.CONFIRMS));
    C(r.pick(T.CONFIRM_REPLIES));
  }

  // The body: topic questions, fillers, and the events of this call, in a shuffled order.
  const blocks = [];
  for (const [q, a] of topic.asks) if (r.chance(0.7)) blocks.push([['A', q], ['C', a]]);
  blocks.push([
    ['A', r.pick(T.HOLDS)],
    ['C', r.pick(T.HOLD_REPLIES)],
    ['A', `${f(T.HOLD_RETURNS)}${f(topic.result)}`, { gap: v.longHold ? 'longhold' : 'hold' }],
    ['C', r.pick(['好的。', '哦，是这样。', '那怎么办？', '嗯。'])],
  ]);
  if (complaint) {
    const block = [['C', r.pick(T.COMPLAINTS)]];
    if (v.noEmpathy) block.push(['A', f(T.NO_EMPATHY)], ['C', '你们就是这么处理问题的？'], ['A', f(T.NO_EMPATHY)]);
    else block.push(['A', r.pick(T.EMPATHY)], ['C', '希望这次能真的解决。']);
    blocks.push(block);
  }
  if (demand) blocks.push([['C', f(topic.demand)], ['A', v.flatRefusal ? r.pick(T.FLAT_REFUSALS) : f(topic.politeRefusal)], ['C', v.flatRefusal ? '你这是什么话？' : '好吧，那就这样。']]);
  if (v.banned) blocks.push([['C', r.pick(['那到底什么时候能处理好？', '那我这个还能不能办？', '为什么会这样？'])], ['A', r.pick(T.BANNED)]]);
  if (v.colloquial) blocks.push([['C', r.pick(T.COLLOQUIAL_PROMPTS)], ['A', r.pick(T.COLLOQUIAL)]]);
  if (v.privacy) blocks.push([['A', f(T.PRIVACY_READ)], ['C', '对。']]);
  if (r.chance(0.1)) blocks.push([['A', r.pick(T.POLITE_QUESTION)], ['C', '可以，你说。']]);
  if (v.interruption) blocks.push([['C', r.pick(T.LONG_CUSTOMER)], ['A', r.pick(T.INTERRUPT_AGENT), { overlap: r.range(1.3, 2.6) }], ['C', '你让我说完。']]);
  if (r.chance(0.15)) blocks.push([['C', r.pick(T.LONG_CUSTOMER)], ['A', r.pick(T.BACKCHANNEL), { backchannel: true }], ['A', '好的，您说的情况我记下了。']]);
  if (v.deadAir) blocks.push([['C', r.pick(['那现在怎么办？', '喂？还在吗？', '你查到了吗？'])], ['A', '您好，我还在线，正在为您处理。', { gap: 'deadair' }]]);

  const target = r.int(20, 60);
  const closingTurns = v.missingClosing ? 2 : 4;
  let planned = script.length + closingTurns + 2 + blocks.reduce((n, b) => n + b.length, 0);
  const fillers = [...T.FILLERS];
  while (planned < target && fillers.length > 0) {
    const [q, a] = fillers.splice(r.int(0, fillers.length - 1), 1)[0];
    blocks.push([['A', q], ['C', a]]);
    planned += 2;
  }
  while (planned < target) {
    // Long calls: the customer explains in several pieces, the agent asks again.
    blocks.push([['C', r.pick(T.LONG_CUSTOMER)], ['A', '好的，这个情况我记下来了。']]);
    planned += 2;
  }
  for (let i = blocks.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [blocks[i], blocks[j]] = [blocks[j], blocks[i]];
  }
  for (const block of blocks) for (const [who, text, extra] of block) (who === 'A' ? A : C)(fill(text, vars), extra);

  // Resolution and closing.
  A(f(topic.resolution));
  const [cq, aa] = r.pick(T.RESOLUTION_FOLLOWUPS);
  C(cq);
  A(fill(aa, vars));
  if (v.missingClosing) {
    A(r.pick(T.BAD_CLOSINGS));
    C(r.pick(T.BAD_CLOSING_REPLIES));
  } else {
    A(r.pick(T.CLOSING_ASKS));
    C(r.pick(T.CLOSING_ASK_REPLIES));
    A(f(T.CLOSING_THANKS));
    C(r.pick(T.CUSTOMER_BYE));
  }

  // Timing: agents at agentRate (±6 % an utterance), customers 150–220 a minute.
  const customerRate = r.range(150, 220);
  const segments = [];
  let t = 0;
  let lastEnd = 0;
  let prev;
  for (const turn of script) {
    const n = Math.max(1, units(turn.text));
    const rate = turn.speaker === 'agent' ? agentRate * (1 + r.normal(0, 0.03)) : customerRate * (1 + r.normal(0, 0.08));
    const duration = (n / rate) * 60 + (turn.speaker === 'agent' ? 0 : r.range(0, 0.3));
    let start;
    if (turn.backchannel && prev) {
      start = prev.start + Math.min(2, (prev.end - prev.start) / 3);
    } else if (turn.overlap && prev) {
      start = Math.max(prev.start + 0.5, prev.end - turn.overlap);
    } else {
      let gap;
      switch (turn.gap) {
        case 'first':
          gap = r.range(0.2, 1.2);
          break;
        case 'late':
          // After the 10 s greeting window, but less than 10 s after the caller's hello (no dead air).
          gap = r.range(Math.max(10.3, lastEnd + 0.5), lastEnd + 9.7) - lastEnd;
          break;
        case 'hold':
          gap = r.range(12, 50);
          break;
        case 'longhold':
          gap = r.range(65, 120);
          break;
        case 'deadair':
          gap = r.range(11, 30);
          break;
        default:
          gap = prev && prev.speaker === turn.speaker ? r.range(0.2, 0.8) : r.range(0.3, 1.6);
      }
      start = lastEnd + gap;
    }
    const seg = { speaker: turn.speaker, start: round2(start), end: round2(start + duration), text: turn.text };
    segments.push(seg);
    lastEnd = Math.max(lastEnd, seg.end);
    if (!turn.backchannel) prev = seg;
  }

  const hangup = v.agentHangup ? 'agent' : r.chance(0.95) ? 'customer' : undefined;
  const ring = v.slowAnswer || r.chance(0.9) ? round1(v.slowAnswer ? r.range(16, 45) : r.range(1, 10)) : undefined;
  const day = 1 + (index % 28);
  const minute = r.int(8 * 60, 21 * 60);
  const call = {
    call_id: `BC${String(seed).padStart(2, '0')}-${String(index + 1).padStart(7, '0')}`,
    agent: { id: agent.id, name: agent.name },
    ...(hangup ? { hangup_by: hangup } : {}),
    ...(ring !== undefined ? { ring_seconds: ring } : {}),
    started_at: `2026-03-${String(day).padStart(2, '0')}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}+08:00`,
    segments,
  };
  const broken = {
    greeting: v.badGreeting || v.lateGreeting,
    'banned-phrases': v.banned,
    'speech-rate': v.fast || v.slow,
    'hangup-order': v.agentHangup,
    closing: v.missingClosing,
    'colloquial-words': v.colloquial,
    'refusal-wording': v.flatRefusal,
    'confirm-understanding': v.noConfirm,
    'empathy-on-complaint': v.noEmpathy,
    'dead-air': v.deadAir || v.longHold,
    interruption: v.interruption,
    'answer-speed': v.slowAnswer,
    privacy: v.privacy,
  };
  // Surface variety: Chinese role labels, top-level agent fields, ASR-style spacing (never before 么:
  // callqa's Traditional→Simplified step reads a lone 么 as 幺, so 什 么 would stop matching 什么).
  const style = { zhLabels: r.chance(0.2), flatAgent: r.chance(0.1), asrSpaces: r.chance(0.05) };
  if (style.zhLabels) for (const s of segments) s.speaker = s.speaker === 'agent' ? '坐席' : '客户';
  if (style.asrSpaces) for (const s of segments) s.text = s.text.replace(/[。！？]$/u, '').replace(/(\p{Script=Han}{2,4})(?=(?!么)\p{Script=Han})/gu, '$1 ');
  if (style.flatAgent) {
    const { agent: a, ...rest } = call;
    return { call: { call_id: rest.call_id, agent_id: a.id, agent_name: a.name, ...rest }, broken };
  }
  return { call, broken };
}

const round2 = (x) => Math.round(x * 100) / 100;
const round1 = (x) => Math.round(x * 10) / 10;

// ------------------------------------------------------------------------------------------- formats

function clock(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

/** The callqa plain-text format: header lines, then `[mm:ss.s-mm:ss.s] 坐席：text`. */
function toText(call) {
  const lines = [`# call_id: ${call.call_id}`];
  const agentId = call.agent?.id ?? call.agent_id;
  const agentName = call.agent?.name ?? call.agent_name;
  lines.push(`# agent_id: ${agentId}`, `# agent_name: ${agentName}`);
  if (call.hangup_by) lines.push(`# hangup_by: ${call.hangup_by}`);
  if (call.ring_seconds !== undefined) lines.push(`# ring_seconds: ${call.ring_seconds}`);
  lines.push(`# started_at: ${call.started_at}`);
  for (const s of call.segments) {
    // Floor the start and ceil the end to 0.1 s: the file never claims a shorter utterance than the JSON.
    const start = Math.floor(s.start * 10) / 10;
    const end = Math.max(start, Math.ceil(s.end * 10) / 10);
    const label = s.speaker === 'agent' || s.speaker === '坐席' ? '坐席' : '客户';
    lines.push(`[${clock(start)}-${clock(end)}] ${label}：${s.text}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------- main

export function generate({ calls, out, seed = 1, agents: agentCount = 200, log = () => {} }) {
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, '.bench'), { recursive: true });
  const agents = makeAgents(seed, agentCount);
  const nTxt = Math.round(calls * 0.04);
  const nJson = Math.round(calls * 0.04);
  const nArray = Math.round(calls * 0.07);
  const nJsonl = calls - nTxt - nJson - nArray;
  const counts = Object.fromEntries(RULE_IDS.map((id) => [id, 0]));
  const files = { jsonl: 0, 'json-array': 0, json: 0, txt: 0 };
  let bytes = 0;
  let segments = 0;
  const agentsSeen = new Set();
  const write = (path, text) => {
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  };
  const made = (i) => {
    const { call, broken } = makeCall(i, seed, agents);
    for (const id of RULE_IDS) if (broken[id]) counts[id]++;
    segments += call.segments.length;
    agentsSeen.add(call.agent?.id ?? call.agent_id);
    return call;
  };
  const dir = (...parts) => {
    const d = join(out, ...parts);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const pad = (n, w = 5) => String(n).padStart(w, '0');
  let i = 0;
  for (let part = 1; i < nJsonl; part++) {
    const lines = [];
    for (let k = 0; k < 1000 && i < nJsonl; k++) lines.push(JSON.stringify(made(i++)));
    write(join(dir('jsonl'), `part-${pad(part)}.jsonl`), `${lines.join('\n')}\n`);
    files.jsonl++;
    if (part % 10 === 0) log(`  ${i} calls`);
  }
  for (let batch = 1; i < nJsonl + nArray; batch++) {
    const list = [];
    for (let k = 0; k < 50 && i < nJsonl + nArray; k++) list.push(made(i++));
    // Pretty-printed, as exports often are.
    write(join(dir('json-array'), `batch-${pad(batch)}.json`), `${JSON.stringify(list, null, 1)}\n`);
    files['json-array']++;
  }
  for (let k = 0; i < nJsonl + nArray + nJson; k++) {
    const call = made(i++);
    write(join(dir('json', pad(Math.floor(k / 1000))), `${call.call_id}.json`), `${JSON.stringify(call, null, 2)}\n`);
    files.json++;
  }
  for (let k = 0; i < calls; k++) {
    const call = made(i++);
    write(join(dir('txt', pad(Math.floor(k / 1000))), `${call.call_id}.txt`), toText(call));
    files.txt++;
  }
  const manifest = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    calls,
    agentCount,
    agents: agentsSeen.size,
    segments,
    bytes,
    files,
    callsByFormat: { jsonl: nJsonl, 'json-array': nArray, json: nJson, txt: nTxt },
    /** Calls built to break each rule (the scorer may find a few more: a rule can also fire by chance). */
    violations: counts,
  };
  writeFileSync(join(out, '.bench', 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '1000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      agents: { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.out) {
    process.stdout.write('usage: node bench/generate.mjs --calls N --out DIR [--seed S] [--agents 200]\n');
    process.exit(values.help ? 0 : 2);
  }
  const started = performance.now();
  const m = generate({ calls: Number(values.calls), out: values.out, seed: Number(values.seed), agents: Number(values.agents), log: (s) => process.stderr.write(`${s}\n`) });
  const secs = (performance.now() - started) / 1000;
  process.stdout.write(
    `${m.calls} calls (${m.segments} turns, ${m.agents} agents) in ${Object.values(m.files).reduce((a, b) => a + b, 0)} files, ${(m.bytes / 1e6).toFixed(1)} MB → ${values.out} (${secs.toFixed(1)} s)\n`,
  );
  process.stdout.write(`calls built to break each rule: ${Object.entries(m.violations).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
}
