/** Loads the project's own deploy/ manifests (every YAML document under deploy/kubernetes). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const DEPLOY_DIR = join(import.meta.dirname, '..', '..', 'deploy');
export const KUBERNETES_DIR = join(DEPLOY_DIR, 'kubernetes');

export interface ManifestDoc {
  /** Path relative to the repository root, e.g. deploy/kubernetes/daemonset.yaml. */
  file: string;
  obj: Record<string, unknown>;
}

export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export function loadDocs(file: string): ManifestDoc[] {
  const rel = relative(join(DEPLOY_DIR, '..'), file);
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${rel}: ${d.errors[0]!.message}`);
    return { file: rel, obj: d.toJS() as Record<string, unknown> };
  });
}

/** Kubernetes objects (kustomization files are kustomize's, not the API's). */
export function kubernetesObjects(): ManifestDoc[] {
  return yamlFiles(KUBERNETES_DIR)
    .filter((f) => !/kustomization\.ya?ml$/.test(f))
    .flatMap(loadDocs);
}

export function findObject(kind: string, name?: string): Record<string, unknown> {
  const hit = kubernetesObjects().find(
    (d) => d.obj.kind === kind && (name === undefined || (d.obj.metadata as { name?: string }).name === name),
  );
  if (!hit) throw new Error(`no ${kind}${name ? ` ${name}` : ''} under deploy/kubernetes`);
  return hit.obj;
}
