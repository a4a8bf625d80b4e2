/**
 * The fields a signature takes from a real line (the public corpus), in full: the family tables only
 * check the fields their summaries name, so a field only the JSON report carries (`image`, `resolver`,
 * `nfsError`) could stop being filled with every other test green.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier } from '../../../src/timeline/signatures/classify.ts';
import { CORPUS_LINES } from '../corpus/lines.ts';

const classifier = new Classifier();

/** [what, the line's URL, text that picks it among that URL's lines, signature, every field] */
const CASES: [string, string, string, string, Record<string, string>][] = [
  [
    'CoreDNS errors plugin: host without the root dot, query type, error, upstream resolver',
    'https://github.com/kubernetes/kubernetes/issues/86762',
    'plugin/errors',
    'dns.coredns-error',
    {
      host: 'lcr.acjus.jus.br',
      qtype: 'A',
      error: 'read udp 169.254.25.10:16773->169.254.25.10:53: i/o timeout',
      resolver: '169.254.25.10:53',
    },
  ],
  [
    'kubelet image pull: the lookup that failed and the image',
    'https://github.com/hjacobs/kube-ops-view/issues/176',
    'Failed to pull',
    'kubelet.image-pull-lookup',
    {
      host: 'registry-1.docker.io',
      lookupError: 'server misbehaving',
      resolver: '127.0.0.53:53',
      image: 'hjacobs/kube-ops-view:0.8.1',
    },
  ],
  [
    'kubelet image pull refused by the resolver: the lookup, its error, and the image after PullImage',
    'https://github.com/kubernetes/minikube/issues/6748',
    'remote_image.go',
    'kubelet.image-pull-lookup',
    {
      host: 'registry-1.docker.io',
      lookupError: 'connection refused',
      resolver: '192.168.64.1:53',
      image: 'nginx:alpine',
    },
  ],
  [
    'kubelet image pull (ErrImagePull) refused by the resolver, no image named on the line',
    'https://github.com/kubernetes/minikube/issues/6748',
    'kuberuntime_manager.go',
    'kubelet.image-pull-lookup',
    { host: 'registry-1.docker.io', lookupError: 'connection refused', resolver: '192.168.64.1:53' },
  ],
  [
    "kubelet FailedMount: the volume and mount.nfs's own error",
    'https://github.com/nacos-group/nacos-k8s/issues/69',
    'nfs-client-root',
    'kubelet.failed-mount',
    { volume: 'nfs-client-root', nfsError: 'Connection timed out.' },
  ],
  [
    'kubelet FailedMount of a server given by name that did not resolve',
    'https://github.com/kubernetes/minikube/issues/3417',
    'MountVolume',
    'kubelet.failed-mount',
    {
      volume: 'nfs',
      nfsError: 'Failed to resolve server nfs-server.default.svc.cluster.local: Name or service not known',
    },
  ],
];

describe('fields from real lines', () => {
  for (const [what, url, text, id, fields] of CASES)
    it(what, () => {
      const found = CORPUS_LINES.filter((c) => c.url === url && c.line.includes(text));
      assert.equal(found.length, 1, `one corpus line from ${url} with ${text}`);
      const c = classifier.classify(found[0]!.line, undefined);
      assert.deepEqual({ id: c?.signature.id, fields: c?.fields }, { id, fields });
    });
});
