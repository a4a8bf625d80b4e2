/** `faultline blast` options, parsed by hand like the audit's: every bad input is a UsageError naming the flag. */
import { type CommonOptions, oneOf, scanFlags, setCommonFlag, UsageError } from '../core/flags.ts';
import { parseTarget } from './analysis/index.ts';
import type { Target } from './model.ts';

export const BLAST_FORMATS = ['text', 'json', 'mermaid', 'html'] as const;
export type BlastFormat = (typeof BLAST_FORMATS)[number];

export interface BlastOptions extends CommonOptions {
  targets: Target[];
  all: boolean;
  format: BlastFormat;
}

export const BLAST_USAGE = `Usage: faultline blast [PATH...] [inputs] (--target TARGET... | --all) [options]

What goes down if one dependency stops answering: the mounts, claims, workloads, Services, routes and
hostnames that depend on it, how each fails (hang, I/O errors after N s, node freeze), and the nodes.
Reads exactly what \`faultline audit\` reads.

Targets:
  --target nfs:HOST       an NFS server, as the manifests name it (name or address)
  --target dns:IP         a node resolver (resolv.conf / systemd-resolved) or the cluster DNS Service IP
  --target cni            the pod network agent (Cilium, Calico, Flannel, …)
  --all                   every dependency the scan has, ranked by blast radius (worst first)

Inputs (as for audit):
  PATH...                 manifests, dumps, Argo CD Applications, Flux HelmReleases (- for stdin)
  --cluster               the live cluster (also lists Services, Ingresses, Gateway API routes, and pod
                          placement: which nodes are affected)
  --kubeconfig FILE       --context NAME
  --node-root DIR         node configuration (fstab, mountinfo, nfsmount.conf, resolvers, watchdog)
  --budget SECONDS        the node's budget for a blocked task (default: from the node, else 120)
  --exclude GLOB          skip matching paths, as for audit (repeatable; also .faultlineignore)

Output:
  --format text|json|mermaid|html   (default text)
  --output FILE           write the report to FILE instead of stdout
  -h, --help              this help

Exit status: 0 report written; 2 usage error, no input, or an input that could not be read (listed in
the report; the rest is still analysed).
`;

const SWITCHES: ReadonlySet<string> = new Set(['cluster', 'all']);

const VALUE_FLAGS = new Set([
  'kubeconfig',
  'context',
  'node-root',
  'budget',
  'exclude',
  'target',
  'format',
  'output',
]);

export function parseBlastArgs(argv: readonly string[]): BlastOptions {
  const o: BlastOptions = {
    paths: [],
    cluster: false,
    kubeconfig: undefined,
    context: undefined,
    nodeRoot: undefined,
    budget: undefined,
    exclude: [],
    targets: [],
    all: false,
    format: 'text',
    output: undefined,
    help: false,
  };
  for (const t of scanFlags(argv, { switches: SWITCHES, values: VALUE_FLAGS })) {
    if (t.kind === 'path') o.paths.push(t.value);
    else if (t.kind === 'help') o.help = true;
    else if (t.kind === 'switch') o[t.name as 'cluster' | 'all'] = true;
    else {
      if (t.value === '') throw new UsageError(`--${t.name} needs a non-empty value`);
      setValue(o, t.name, t.value);
    }
  }
  if (!o.help && o.all === o.targets.length > 0)
    throw new UsageError(o.all ? '--all and --target exclude each other' : 'give --target TARGET or --all');
  return o;
}

function setValue(o: BlastOptions, name: string, value: string): void {
  if (setCommonFlag(o, name, value)) return;
  switch (name) {
    case 'format':
      o.format = oneOf(name, value, BLAST_FORMATS);
      return;
    case 'target':
      try {
        o.targets.push(parseTarget(value));
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      return;
  }
}
