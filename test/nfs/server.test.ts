import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyServer } from '../../src/nfs/server.ts';

describe('NFS server addresses', () => {
  it('classifies IPs, cluster DNS names and other hostnames', () => {
    assert.equal(classifyServer('172.16.0.10'), 'ip');
    assert.equal(classifyServer('[fd00::10]'), 'ip');
    assert.equal(classifyServer('fe80::1'), 'ip');
    assert.equal(classifyServer('nfs.storage.svc.cluster.local'), 'cluster-dns');
    assert.equal(classifyServer('nfs.storage.svc'), 'cluster-dns');
    assert.equal(classifyServer('nfs.storage.svc.cluster.local.'), 'cluster-dns');
    assert.equal(classifyServer('truenas.home.lex.la'), 'hostname');
    assert.equal(classifyServer('nas'), 'hostname');
    assert.equal(classifyServer('256.1.1.1'), 'hostname');
  });
});
