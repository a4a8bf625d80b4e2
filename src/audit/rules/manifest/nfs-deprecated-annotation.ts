/** NFS-015: the beta mount-options annotation, which silently overrides spec.mountOptions. */
import { MOUNT_OPTIONS_ANNOTATION } from '../../analysis/mount-sites.ts';
import { getArray, getString } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples, shellQuote } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-deprecated-annotation',
    severity: 'low',
    title: 'PV uses the deprecated volume.beta.kubernetes.io/mount-options annotation',
    description:
      'The annotation "still works but is deprecated" (Kubernetes persistent volumes docs). kubelet reads it ' +
      'before `spec.mountOptions` and, when present, uses it instead — so an edit to spec.mountOptions (the ' +
      'documented fix for existing PVs) has no effect while the annotation stays, and tools that only look ' +
      'at spec.mountOptions report the wrong options.',
    fix: 'Move the options to spec.mountOptions and remove the annotation.',
    inputs: ['PersistentVolume metadata.annotations'],
    references: [REF.k8sPvMountOptions],
  },
  check({ inventory, report }) {
    for (const pv of inventory.ofKind('PersistentVolume')) {
      const value = getString(pv.body, ['metadata', 'annotations', MOUNT_OPTIONS_ANNOTATION]);
      if (value === undefined) continue;
      const spec = getArray(pv.body, ['spec', 'mountOptions']).map(String);
      const options = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const patch = JSON.stringify([
        { op: spec.length > 0 ? 'replace' : 'add', path: '/spec/mountOptions', value: options },
        { op: 'remove', path: `/metadata/annotations/${MOUNT_OPTIONS_ANNOTATION.replace('/', '~1')}` },
      ]);
      report({
        message: `PersistentVolume ${pv.name} sets mount options through the deprecated ${MOUNT_OPTIONS_ANNOTATION} annotation ("${value}")${spec.length > 0 ? `, which overrides its spec.mountOptions [${spec.join(', ')}]` : ''}.`,
        location: pv.locate(['metadata', 'annotations', MOUNT_OPTIONS_ANNOTATION]),
        object: { kind: 'PersistentVolume', name: pv.name },
        evidence: { annotation: value, specMountOptions: spec },
        fix: `kubectl patch pv ${pv.name} --type=json -p ${shellQuote(patch)}  (then recreate the pods that mount it)`,
      });
    }
  },
});

export const examples: RuleExamples = {
  bad: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: media
  annotations:
    volume.beta.kubernetes.io/mount-options: "nfsvers=4.1,softerr,timeo=100,retrans=2"
spec:
  nfs: {server: 172.16.0.10, path: /mnt/pool/media}
`,
  good: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: media
spec:
  mountOptions: [nfsvers=4.1, softerr, timeo=100, retrans=2]
  nfs: {server: 172.16.0.10, path: /mnt/pool/media}
`,
};
