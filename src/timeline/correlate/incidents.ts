import { byLayer, LAYERS } from '../signatures/types.ts';
import { isWallClock } from './merge.ts';
import type { Incident, IncidentEnd, NfsOutage, TimelineEvent } from './types.ts';

export const UNKNOWN_HOST = '(unknown host)';

/** A reboot this long after an incident's last event still closes that incident. */
const REBOOT_JOIN_MS = 24 * 3600_000;

export interface IncidentOptions {
  /** Events further apart than this on one host belong to different incidents. */
  quietMs?: number;
}

/**
 * Group events per host into incidents. A reboot ends an incident (the boot marker and the boot lines
 * right after it still belong to it); a long quiet stretch starts a new one. NFS outages open on "not
 * responding" and close on the server's "OK".
 */
export function groupIncidents(events: readonly TimelineEvent[], opts: IncidentOptions = {}): Incident[] {
  const quietMs = opts.quietMs ?? 30 * 60_000;
  const byHost = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    const host = e.host ?? UNKNOWN_HOST;
    const list = byHost.get(host);
    if (list) list.push(e);
    else byHost.set(host, [e]);
  }
  const incidents: Omit<Incident, 'id'>[] = [];
  for (const [host, list] of byHost) {
    let current: Building | undefined;
    for (const e of list) {
      const rebooting = current?.rebooting ?? false;
      const gap = current && isWallClock(e) && current.lastTime !== null ? e.time - current.lastTime : 0;
      // The boot after a freeze comes as late as the node was down; it still ends this incident.
      const bootAfter = e.layer === 'reboot' && !rebooting && gap <= REBOOT_JOIN_MS;
      const quiet = gap > quietMs && !bootAfter;
      if (current && ((rebooting && e.layer !== 'reboot') || quiet)) {
        incidents.push(finish(current, rebooting ? 'reboot' : 'quiet'));
        current = undefined;
      }
      current ??= { host, events: [], outages: [], rebooting: false, lastTime: null };
      add(current, e);
    }
    if (current) incidents.push(finish(current, current.rebooting ? 'reboot' : 'end-of-input'));
  }
  incidents.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  return incidents.map((inc, id) => ({ ...inc, id }));
}

interface Building {
  host: string;
  events: TimelineEvent[];
  outages: NfsOutage[];
  rebooting: boolean;
  lastTime: number | null;
}

function add(b: Building, e: TimelineEvent): void {
  b.events.push(e);
  if (isWallClock(e)) b.lastTime = e.time;
  if (e.layer === 'reboot') b.rebooting = true;
  const server = e.fields.server;
  if (e.signature === 'nfs.server-not-responding' && server) {
    if (!b.outages.some((o) => o.server === server && o.endEvent === null))
      b.outages.push({ server, start: e.time, end: null, startEvent: e.id, endEvent: null });
  } else if (e.signature === 'nfs.server-ok' && server) {
    const open = b.outages.find((o) => o.server === server && o.endEvent === null);
    if (open) {
      open.end = e.time;
      open.endEvent = e.id;
    }
  }
}

function finish(b: Building, how: IncidentEnd): Omit<Incident, 'id'> {
  const times = b.events.filter(isWallClock).map((e) => e.time as number);
  // The incident lasts until its last failure line; a boot hours later is when it was over, not part of it.
  const failing = b.events.filter((e) => isWallClock(e) && e.layer !== 'reboot').map((e) => e.time as number);
  const boot = b.events.find((e) => isWallClock(e) && e.layer === 'reboot');
  const recovered = b.outages.length > 0 && b.outages.every((o) => o.endEvent !== null);
  const endedBy: IncidentEnd = how === 'reboot' ? 'reboot' : recovered ? 'nfs-recovered' : how;
  const families = byLayer(b.events.flatMap((e) => e.families));
  const layers = LAYERS.filter((l) => b.events.some((e) => e.layers.includes(l)));
  return {
    host: b.host,
    start: times.length ? Math.min(...times) : null,
    end: failing.length ? Math.max(...failing) : times.length ? Math.max(...times) : null,
    rebootAt: boot ? boot.time : null,
    events: b.events.map((e) => e.id),
    families,
    layers,
    nfsOutages: b.outages,
    endedBy,
    note: NOTES[endedBy],
  };
}

const NOTES: Record<IncidentEnd, string> = {
  reboot: 'ended by a reboot (boot marker, boot lines or a silent log)',
  'nfs-recovered': 'every NFS server that stopped responding answered again',
  quiet: 'no further events for a long stretch',
  'end-of-input': 'still open when the logs end',
};
