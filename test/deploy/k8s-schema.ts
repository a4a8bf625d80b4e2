/**
 * Strict validation of Kubernetes manifests against schemas generated from the official OpenAPI:
 * - kubernetes-models (and its prometheus-operator models) check types, required fields and formats;
 * - they accept unknown fields, so a second pass walks each object along @kubernetes/client-node's
 *   attribute maps (also generated from the official OpenAPI) and rejects every field the API
 *   does not define — what `kubectl apply --validate=strict` would refuse.
 */
import * as k8s from '@kubernetes/client-node';

interface AttributeType {
  baseName: string;
  type: string;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** apiVersion + kind → the kubernetes-models module that holds its model. */
function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'monitoring.coreos.com') {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

/** client-node class name of a built-in kind: apps/v1 DaemonSet → V1DaemonSet. */
function clientNodeType(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split('/').pop() ?? '';
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  return attributesOf(name) ? name : undefined;
}

function attributesOf(typeName: string): AttributeType[] | undefined {
  const cls = (k8s as unknown as Record<string, { attributeTypeMap?: AttributeType[] } | undefined>)[
    typeName
  ];
  return cls?.attributeTypeMap;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Walks `value` as OpenAPI type `type`; pushes "path: problem" for unknown fields and wrong shapes. */
function walkStrict(value: unknown, type: string, path: string, issues: string[]): void {
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) issues.push(`${path}: must be an array`);
    else for (const [i, v] of value.entries()) walkStrict(v, array[1]!, `${path}[${i}]`, issues);
    return;
  }
  if (map) {
    if (!isPlainObject(value)) issues.push(`${path}: must be a mapping`);
    else for (const [k, v] of Object.entries(value)) walkStrict(v, map[1]!, `${path}.${k}`, issues);
    return;
  }
  switch (type) {
    case 'string':
    case 'Date':
      if (typeof value !== 'string') issues.push(`${path}: must be a string`);
      return;
    case 'number':
      if (typeof value !== 'number') issues.push(`${path}: must be a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push(`${path}: must be a boolean`);
      return;
    case 'IntOrString':
      if (typeof value !== 'string' && typeof value !== 'number')
        issues.push(`${path}: must be int or string`);
      return;
    case 'any':
    case 'object':
      return;
  }
  const attrs = attributesOf(type);
  if (!attrs) {
    issues.push(`${path}: validator does not know OpenAPI type ${type}`);
    return;
  }
  if (!isPlainObject(value)) {
    issues.push(`${path}: must be a mapping (${type})`);
    return;
  }
  const byName = new Map(attrs.map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    const t = byName.get(k);
    if (t === undefined) issues.push(`${path}.${k}: unknown field (not in ${type})`);
    else walkStrict(v, t, `${path}.${k}`, issues);
  }
}

/** Every problem with one manifest, as "path: message" lines; empty when valid. */
export async function validateManifest(obj: unknown): Promise<string[]> {
  if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return ['(root): not a Kubernetes object (apiVersion and kind required)'];
  }
  const { apiVersion, kind } = obj;
  const issues: string[] = [];
  let Model: ModelClass;
  try {
    const mod = (await import(modelModule(apiVersion, kind))) as Record<string, ModelClass>;
    Model = mod[kind]!;
  } catch {
    return [`(root): no schema for ${apiVersion} ${kind}`];
  }
  try {
    new Model(obj).validate();
  } catch (err) {
    issues.push(...String((err as Error).message).split(/,\s*(?=data)/));
  }
  const typeName = clientNodeType(apiVersion, kind);
  if (typeName) walkStrict(obj, typeName, kind, issues);
  else if (!apiVersion.startsWith('monitoring.coreos.com/')) {
    issues.push(`(root): no strict field list for ${apiVersion} ${kind}`);
  }
  return issues;
}
