/**
 * The fault itself: one nftables table whose rules are fixed and whose sets hold the targets as
 * elements with a `timeout`. The kernel deletes an element when its timeout passes, with no process
 * involved, so the fault ends on time even if the drill is SIGKILLed or the node wedges (a dead-man
 * switch). `stop` deletes the table: everything ends at once.
 *
 * Only the `input` hook is used (what this node receives), never `forward`: pods behind a CNI bridge are
 * not touched, only the node's own traffic — which is where the kernel NFS client and the node's
 * resolver live. Requests still leave; the target's answers are dropped on arrival. To the client that is
 * exactly a server that stopped answering: queries time out, TCP connects hang. (Dropping on `output`
 * instead makes sendmsg() fail at once with EPERM — verified with dnsmasq in a netns: glibc gave up in
 * 160 ms — which no dead server does.)
 */
import { spawn } from 'node:child_process';
import type { Endpoint, FaultElement } from '../model.ts';

export const TABLE = 'faultline_drill';

/**
 * The ruleset, created idempotently (`add` does not fail when it exists). Sets:
 * - blackhole4/6: address . protocol . port → drop what comes back from there (TCP and UDP);
 * - host4/6: address → drop everything from there (no port given);
 * - stall4/6: server address . port → drop the server's replies that carry data (PSH), let the
 *   handshake and bare ACKs through: TCP stays up, RPCs go unanswered, as with a hung server.
 */
export function tableScript(table = TABLE): string {
  const t = `inet ${table}`;
  return [
    `add table ${t}`,
    `add set ${t} blackhole4 { type ipv4_addr . inet_proto . inet_service; flags timeout; }`,
    `add set ${t} blackhole6 { type ipv6_addr . inet_proto . inet_service; flags timeout; }`,
    `add set ${t} host4 { type ipv4_addr; flags timeout; }`,
    `add set ${t} host6 { type ipv6_addr; flags timeout; }`,
    `add set ${t} stall4 { type ipv4_addr . inet_service; flags timeout; }`,
    `add set ${t} stall6 { type ipv6_addr . inet_service; flags timeout; }`,
    `add chain ${t} in { type filter hook input priority 0; policy accept; }`,
    `flush chain ${t} in`,
    `add rule ${t} in ip saddr @host4 drop`,
    `add rule ${t} in ip6 saddr @host6 drop`,
    `add rule ${t} in meta l4proto { tcp, udp } ip saddr . meta l4proto . th sport @blackhole4 drop`,
    `add rule ${t} in meta l4proto { tcp, udp } ip6 saddr . meta l4proto . th sport @blackhole6 drop`,
    `add rule ${t} in ip saddr . tcp sport @stall4 tcp flags & psh == psh drop`,
    `add rule ${t} in ip6 saddr . tcp sport @stall6 tcp flags & psh == psh drop`,
    '',
  ].join('\n');
}

/** Elements that make the endpoint go silent for this node (both TCP and UDP when a port is given). */
export function blackholeElements(
  e: Endpoint,
  timeoutSeconds: number,
  protocols: ('tcp' | 'udp')[],
): FaultElement[] {
  const v = e.family === 6 ? '6' : '4';
  if (e.port === undefined)
    return [{ set: `host${v}`, element: e.ip, timeoutSeconds, describe: `drop every packet from ${e.ip}` }];
  return protocols.map((p) => ({
    set: `blackhole${v}`,
    element: `${e.ip} . ${p} . ${e.port}`,
    timeoutSeconds,
    describe: `drop ${p.toUpperCase()} answers from ${e.family === 6 ? `[${e.ip}]` : e.ip}:${e.port}`,
  }));
}

export function stallElements(e: Endpoint, timeoutSeconds: number): FaultElement[] {
  const v = e.family === 6 ? '6' : '4';
  const port = e.port ?? 2049;
  return [
    {
      set: `stall${v}`,
      element: `${e.ip} . ${port}`,
      timeoutSeconds,
      describe: `drop data-carrying (PSH) TCP segments from ${e.family === 6 ? `[${e.ip}]` : e.ip}:${port}; handshake and ACKs pass`,
    },
  ];
}

export function elementsScript(elements: readonly FaultElement[], table = TABLE): string {
  return elements
    .map((el) => `add element inet ${table} ${el.set} { ${el.element} timeout ${el.timeoutSeconds}s }\n`)
    .join('');
}

/** Run nft with args and optional stdin; resolve with exit code and output. */
export type NftRunner = (
  args: string[],
  stdin?: string,
) => Promise<{ code: number; stdout: string; stderr: string }>;

export const runNft: NftRunner = (args, stdin) =>
  new Promise((resolve) => {
    const child = spawn('nft', args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c) => {
      stdout += c;
    });
    child.stderr?.on('data', (c) => {
      stderr += c;
    });
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (child.stdin) {
      // nft exiting early (a syntax error) closes the pipe: its exit code reports that, not EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(stdin);
    }
  });

export class NftError extends Error {}

/** Create the table (idempotent) and add the elements in one transaction. */
export async function inject(
  elements: readonly FaultElement[],
  nft: NftRunner = runNft,
  table = TABLE,
): Promise<void> {
  const r = await nft(['-f', '-'], tableScript(table) + elementsScript(elements, table));
  if (r.code !== 0) throw new NftError(`nft failed (exit ${r.code}): ${r.stderr.trim()}`);
}

export interface LiveElement {
  set: string;
  element: string;
  /** Seconds until the kernel removes it. */
  expiresSeconds: number | undefined;
}

/** Elements still in the table (empty when the table is absent). */
export async function liveElements(nft: NftRunner = runNft, table = TABLE): Promise<LiveElement[]> {
  const r = await nft(['-j', 'list', 'table', 'inet', table]);
  if (r.code !== 0) {
    if (/No such file or directory|does not exist/i.test(r.stderr)) return [];
    throw new NftError(`nft list failed (exit ${r.code}): ${r.stderr.trim()}`);
  }
  return parseListJson(r.stdout);
}

/** `nft -j list table` output → set elements. Elements with a timeout are {"elem": {val, timeout, expires}}. */
export function parseListJson(text: string): LiveElement[] {
  const out: LiveElement[] = [];
  const doc = JSON.parse(text) as { nftables?: Record<string, unknown>[] };
  for (const entry of doc.nftables ?? []) {
    const set = entry.set as { name?: string; elem?: unknown[] } | undefined;
    if (!set?.name || !Array.isArray(set.elem)) continue;
    for (const e of set.elem) {
      const wrapped = (e as { elem?: { val?: unknown; expires?: number } }).elem;
      const val = wrapped ? wrapped.val : e;
      out.push({ set: set.name, element: formatVal(val), expiresSeconds: wrapped?.expires });
    }
  }
  return out;
}

function formatVal(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  const concat = (v as { concat?: unknown[] } | undefined)?.concat;
  if (Array.isArray(concat)) return concat.map(formatVal).join(' . ');
  return JSON.stringify(v);
}

/** Remove everything the drill added, now. Absent table: nothing to do. */
export async function stop(nft: NftRunner = runNft, table = TABLE): Promise<{ removed: number }> {
  const before = await liveElements(nft, table);
  const r = await nft(['delete', 'table', 'inet', table]);
  if (r.code !== 0 && !/No such file or directory|does not exist/i.test(r.stderr))
    throw new NftError(`nft delete failed (exit ${r.code}): ${r.stderr.trim()}`);
  return { removed: before.length };
}
