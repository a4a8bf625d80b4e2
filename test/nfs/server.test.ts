import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyServer } from '../../src/nfs/server.ts';

describe('NFS server addresses', () => {
  const cases: [string, ReturnType<typeof classifyServer>][] = [
    ['172.16.0.10', 'ip'],
    ['[fd00::10]', 'ip'],
    ['fe80::1', 'ip'],
    ['nfs.storage.svc.cluster.local', 'cluster-dns'],
    ['nfs.storage.svc', 'cluster-dns'],
    ['nfs.storage.svc.cluster.local.', 'cluster-dns'],
    ['truenas.home.lex.la', 'hostname'],
    ['nas', 'hostname'],
    ['256.1.1.1', 'hostname'],
  ];
  for (const [server, kind] of cases)
    it(`classifies ${server} as ${kind}`, () => {
      assert.equal(classifyServer(server), kind);
    });
});
