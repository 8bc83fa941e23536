// Summarises a V8 .cpuprofile the way the performance notes need it: self time by package (who burns the CPU)
// and the hottest functions. Usable alone: `node bench/profile-summary.mjs file.cpuprofile`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Node's own code, grouped by what it does for us. */
function nodeArea(path) {
  // CryptoKey objects are transferable: importing one per verify shows up in the worker plumbing.
  if (/^(crypto|internal\/crypto|internal\/worker\/js_transferable)/.test(path)) return 'node (crypto: WebCrypto under jose, random bytes)';
  if (/^(_http_|http|net|internal\/(http|streams|net|stream_base|js_stream)|stream)/.test(path)) {
    return 'node (http, net, streams)';
  }
  if (/^(events|internal\/(process|timers|async_hooks|event_target)|timers)/.test(path)) return 'node (events, ticks, timers)';
  return `node (${path.replace(/^internal\//, '').split('/')[0]})`;
}

/** `…/node_modules/.pnpm/x@1/node_modules/@scope/name/lib/a.js` → `@scope/name`; our code → `app`. */
function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return nodeArea(url.slice(5));
  if (url.includes('/apps/api/dist/')) return 'app (apps/api/dist)';
  if (url.includes('/apps/api/bench/')) return 'bench baseline';
  if (url.includes('/packages/contracts/')) return '@qmfz/contracts';
  return url;
}

export function summarize(profile, { top = Number(process.env.BENCH_PROFILE_TOP) || 12 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  /** A native frame (no URL, e.g. better-sqlite3's `all` or a socket `writev`) is charged to the JS code that called it. */
  const charged = (id) => {
    let node = byId.get(id);
    while (node && !node.callFrame.url && !node.callFrame.functionName.startsWith('(') && parentOf.has(node.id)) node = byId.get(parentOf.get(node.id));
    return node ?? byId.get(id);
  };
  const self = new Map();
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? interval));
  }
  let total = 0;
  const packages = new Map();
  const chargedPackages = new Map();
  const functions = new Map();
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id);
    total += micros;
    if (callFrame.functionName === '(idle)') continue;
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
    const caller = charged(id).callFrame;
    const callerPkg = packageOf(caller.url, caller.functionName);
    chargedPackages.set(callerPkg, (chargedPackages.get(callerPkg) ?? 0) + micros);
    const file = callFrame.url ? callFrame.url.split('/').slice(-2).join('/') : '';
    const fn = `${callFrame.functionName || '(anonymous)'} ${file}${file ? ':' + (callFrame.lineNumber + 1) : ''}`;
    const key = `${pkg}|${fn}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
  }
  const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((s, [, m]) => s + m, 0);
  const busy = total - idle;
  const pct = (m) => `${((100 * m) / busy).toFixed(1).padStart(5)} %`;
  const lines = [`  busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled; self time by package:`];
  for (const [pkg, m] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(m)}  ${pkg}`);
  lines.push('  the same with native frames charged to their JS caller:');
  for (const [pkg, m] of [...chargedPackages].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(m)}  ${pkg}`);
  lines.push('  hottest functions (self time):');
  for (const [key, m] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const [pkg, fn] = key.split('|');
    lines.push(`    ${pct(m)}  ${fn}  [${pkg}]`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) {
    console.log(file);
    console.log(summarize(JSON.parse(readFileSync(file, 'utf8')), { top: 25 }));
  }
}
