/**
 * Node configuration a repository writes for its nodes: Talos `machine.files` entries for
 * /etc/nfsmount.conf (plain machine configs and patches, talhelper `talconfig.yaml` inline patches —
 * top level, `controlPlane`, `worker`, `nodes[]`) and Talos `EtcFileConfig` documents named
 * nfsmount.conf. Parsed by the shared translator with each option at its own file line, so findings
 * on inline or option-less mounts point at e.g. `talconfig.yaml:189 hard=True`. `--node-root`, when
 * given, describes a real node and takes precedence.
 */
import type { SourceLocation } from '../../core/location.ts';
import { type ConfOption, parseNfsMountConf } from '../../nfs/nfsmount-conf.ts';
import type { Inventory } from '../inventory.ts';
import { getArray, getRecord, getString, type K8sObject, type YamlPath } from '../model.ts';
import { embeddedYaml } from '../sources/yaml.ts';

const NFSMOUNT_PATHS = new Set(['/etc/nfsmount.conf', '/etc/nfsmount.conf.d']);
const cache = new WeakMap<Inventory, ConfOption[]>();

export function repoNfsMountConf(inv: Inventory): ConfOption[] {
  let conf = cache.get(inv);
  if (conf) return conf;
  conf = [];
  for (const o of inv.ofKind('TalosMachineConfig')) conf.push(...fromMachine(o.body, (p) => o.locate(p)));
  for (const o of inv.ofKind('TalhelperConfig')) conf.push(...fromTalhelper(o));
  for (const o of inv.ofKind('EtcFileConfig')) {
    const name = getString(o.body, ['name']);
    const contents = getString(o.body, ['contents']);
    if (contents === undefined || (name !== 'nfsmount.conf' && !name?.startsWith('nfsmount.conf.d/')))
      continue;
    conf.push(...fromContent(contents, o.locate(['contents'])));
  }
  cache.set(inv, conf);
  return conf;
}

/** `machine.files[]` of one machine config or patch; `locate` maps a path in `body` to a line. */
function fromMachine(body: unknown, locate: (p: YamlPath) => SourceLocation | undefined): ConfOption[] {
  const out: ConfOption[] = [];
  getArray(body, ['machine', 'files']).forEach((f, i) => {
    const path = getString(f, ['path']) ?? '';
    const content = getString(f, ['content']);
    if (content === undefined) return;
    if (!NFSMOUNT_PATHS.has(path) && !path.startsWith('/etc/nfsmount.conf.d/')) return;
    const at = locate(['machine', 'files', i, 'content']);
    if (at) out.push(...fromContent(content, at));
  });
  return out;
}

/** talconfig.yaml: patches are YAML strings (inline) or `@file` references (scanned as their own files). */
function fromTalhelper(o: K8sObject): ConfOption[] {
  const lists: YamlPath[] = [['patches'], ['controlPlane', 'patches'], ['worker', 'patches']];
  getArray(o.body, ['nodes']).forEach((_, i) => {
    lists.push(['nodes', i, 'patches']);
  });
  const out: ConfOption[] = [];
  for (const list of lists) {
    getArray(o.body, list).forEach((p, i) => {
      if (typeof p !== 'string' || p.trim().startsWith('@')) return;
      const keyLine = o.locate([...list, i]).line;
      if (keyLine === undefined) return;
      // `- |` block: the patch text starts on the next line.
      const parsed = embeddedYaml(p, o.location.file, keyLine + 1);
      if (parsed) out.push(...fromMachine(parsed.data, parsed.locate));
    });
  }
  // Inline machine config in talhelper's own schema is rare; machine configs proper are handled above.
  if (getRecord(o.body, ['machine'])) out.push(...fromMachine(o.body, (p) => o.locate(p)));
  return out;
}

/** A literal block `content: |`: its first line is the line after the key. */
function fromContent(content: string, at: SourceLocation): ConfOption[] {
  const parsed = parseNfsMountConf(content, at.file);
  const offset = at.line ?? 0;
  return parsed.options.map((o) => ({
    ...o,
    location: { file: at.file, line: offset + (o.location.line ?? 1) },
  }));
}
