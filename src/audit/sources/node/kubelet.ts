/** KubeletConfiguration (`resolvConf`); the kubelet default is /etc/resolv.conf. */
import { parseDocument } from 'yaml';
import type { InputProblem } from '../../../core/errors.ts';
import type { NodeFile } from '../../../host/rootfs.ts';
import type { KubeletConf } from './facts.ts';

export const KUBELET_CONFIG_PATHS = ['/var/lib/kubelet/config.yaml', '/etc/kubernetes/kubelet-config.yaml'];
export const KUBELET_DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

export function parseKubeletConf(f: NodeFile, errors: InputProblem[]): KubeletConf | undefined {
  const doc = parseDocument(f.text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    errors.push({
      file: f.path,
      line: doc.errors[0]!.linePos?.[0]?.line,
      message: `YAML: ${doc.errors[0]!.message.split('\n')[0]}`,
    });
    return undefined;
  }
  const node = doc.get('resolvConf', true) as
    | { value?: unknown; range?: [number, number, number] }
    | undefined;
  if (node === undefined || typeof node.value !== 'string') return { path: f.path, resolvConf: undefined };
  const line = node.range ? f.text.slice(0, node.range[0]).split('\n').length : undefined;
  return {
    path: f.path,
    resolvConf: { value: node.value, location: { file: f.path, ...(line ? { line } : {}) } },
  };
}
