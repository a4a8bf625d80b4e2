/**
 * Every probe the agent can run, in one place: the config loader validates `probes.<name>` blocks with
 * each one's schema, the runtime creates the enabled ones. Adding a probe is one line here.
 */
import type { ProbeDefinition } from '../probe.ts';
import { ciliumProbe } from './cilium.ts';
import { dnsProbe } from './dns.ts';
import { dstateProbe } from './dstate.ts';
import { mountsProbe } from './mounts.ts';
import { nfsProbe } from './nfs.ts';

export const PROBES: ProbeDefinition[] = [
  nfsProbe,
  mountsProbe,
  dstateProbe,
  dnsProbe,
  ciliumProbe,
] as ProbeDefinition[];
