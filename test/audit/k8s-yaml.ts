/**
 * Builders for the Kubernetes YAML the audit tests feed the parser and the rules: the StorageClass,
 * claim, pod and annotated PV every table needs, written once. Each returns one document, line for
 * line as a test would spell it out (so the lines a test expects findings on can be counted from the
 * options given), ending in a newline; join documents with `---`.
 */

/** `key: {flow}` when given a string, else `key:` and the lines below it, indented by `indent`. */
function field(key: string, value: string | readonly string[], indent: string): string[] {
  return typeof value === 'string' ? [`${key}: ${value}`] : [`${key}:`, ...value.map((l) => indent + l)];
}

function doc(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}

export interface ClassYaml {
  name: string;
  provisioner: string;
  /** Adds the is-default-class annotation (metadata is then written as a block). */
  isDefault?: boolean;
  /** A flow map (`{server: 10.0.0.5, share: /k8s}`) or block lines (`['server: 10.0.0.5', …]`). */
  parameters?: string | readonly string[];
  /** A flow list (`[hard, nfsvers=4.1]`) or one option a line (`- hard`). */
  mountOptions?: string | readonly string[];
}

export function storageClass(c: ClassYaml): string {
  const metadata = c.isDefault
    ? field(
        'metadata',
        [`name: ${c.name}`, 'annotations:', '  storageclass.kubernetes.io/is-default-class: "true"'],
        '  ',
      )
    : [`metadata: {name: ${c.name}}`];
  return doc([
    'apiVersion: storage.k8s.io/v1',
    'kind: StorageClass',
    ...metadata,
    `provisioner: ${c.provisioner}`,
    ...(c.parameters === undefined ? [] : field('parameters', c.parameters, '  ')),
    ...(c.mountOptions === undefined
      ? []
      : typeof c.mountOptions === 'string'
        ? [`mountOptions: ${c.mountOptions}`]
        : field(
            'mountOptions',
            c.mountOptions.map((o) => `- ${o}`),
            '  ',
          )),
  ]);
}

export interface ClaimYaml {
  name: string;
  namespace?: string;
  /** A flow map of labels. */
  labels?: string;
  storageClassName?: string;
  volumeName?: string;
  /** e.g. `ReadWriteOnce`, written as a one-item flow list. */
  accessMode?: string;
  /** Requested size, e.g. `50Gi`. */
  storage?: string;
}

/** A PersistentVolumeClaim with block metadata and spec, fields in the order kubectl prints them. */
export function claim(c: ClaimYaml): string {
  const optional = (key: string, value: string | undefined) =>
    value === undefined ? [] : [`${key}: ${value}`];
  return doc([
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    `  name: ${c.name}`,
    ...optional('  namespace', c.namespace),
    ...optional('  labels', c.labels),
    'spec:',
    ...optional('  storageClassName', c.storageClassName),
    ...optional('  volumeName', c.volumeName),
    ...optional('  accessModes', c.accessMode && `[${c.accessMode}]`),
    ...optional('  resources', c.storage && `{requests: {storage: ${c.storage}}}`),
  ]);
}

/**
 * A Pod with one container `c` and one volume `d`: `volume` is the volume's source, a line such as
 * `nfs: {server: 10.0.0.5, path: /d}` or the block lines of a `csi:` source.
 */
export function podWithVolume(p: {
  name: string;
  namespace?: string;
  image: string;
  volume: readonly string[];
}): string {
  const metadata =
    p.namespace === undefined ? `{name: ${p.name}}` : `{name: ${p.name}, namespace: ${p.namespace}}`;
  return doc([
    'apiVersion: v1',
    'kind: Pod',
    `metadata: ${metadata}`,
    'spec:',
    `  containers: [{name: c, image: ${p.image}}]`,
    '  volumes:',
    '    - name: d',
    ...p.volume.map((l) => `      ${l}`),
  ]);
}

/**
 * PersistentVolume `media` (NFS 10.0.0.5:/media) with both the deprecated
 * volume.beta.kubernetes.io/mount-options annotation (line 6) and spec.mountOptions (line 8).
 */
export function annotatedMediaPv(annotation: string, mountOptions: string): string {
  return doc([
    'apiVersion: v1',
    'kind: PersistentVolume',
    'metadata:',
    '  name: media',
    '  annotations:',
    `    volume.beta.kubernetes.io/mount-options: "${annotation}"`,
    'spec:',
    `  mountOptions: [${mountOptions}]`,
    '  nfs: {server: 10.0.0.5, path: /media}',
  ]);
}

/** Documents as one YAML stream. */
export function yamlStream(...docs: string[]): string {
  return docs.join('---\n');
}

export interface WorkloadYaml {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  /** `metadata: {name: …, namespace: …}` on one line instead of a block. */
  flowMetadata?: boolean;
  /** The pods' label (`app: db`): the selector's matchLabels and the template's labels. None: neither. */
  label?: string;
  /** The pod's containers: a flow list, or the block lines below `containers:`. */
  containers: string | readonly string[];
  /** Block lines below the pod's `volumes:`. */
  volumes?: readonly string[];
  /** A StatefulSet's volumeClaimTemplates (block lines); a StatefulSet gets serviceName = its name. */
  claimTemplates?: readonly string[];
}

/** A Deployment or StatefulSet with one pod template. */
export function workload(w: WorkloadYaml): string {
  const pod = [
    ...field('containers', w.containers, '  '),
    ...(w.volumes === undefined ? [] : field('volumes', w.volumes, '  ')),
  ];
  return doc([
    'apiVersion: apps/v1',
    `kind: ${w.kind}`,
    ...(w.flowMetadata
      ? [`metadata: {name: ${w.name}, namespace: ${w.namespace}}`]
      : field('metadata', [`name: ${w.name}`, `namespace: ${w.namespace}`], '  ')),
    'spec:',
    ...(w.kind === 'StatefulSet' ? [`  serviceName: ${w.name}`] : []),
    ...(w.label === undefined ? [] : [`  selector: {matchLabels: {${w.label}}}`]),
    '  template:',
    ...(w.label === undefined ? [] : [`    metadata: {labels: {${w.label}}}`]),
    '    spec:',
    ...pod.map((l) => `      ${l}`),
    ...(w.claimTemplates === undefined ? [] : field('  volumeClaimTemplates', w.claimTemplates, '    ')),
  ]);
}
