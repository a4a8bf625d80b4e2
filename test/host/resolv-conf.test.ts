import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResolvConf } from '../../src/host/resolv-conf.ts';

const ns = (text: string) => parseResolvConf(text).nameservers.map((n) => [n.value, n.line]);

describe('resolv.conf as glibc reads it (resolv/res_init.c)', () => {
  it('reads nameservers in order with their lines; comments only at the start of a line', () => {
    // The shapes both old parsers were tested on: systemd-resolved's stub file, a node file with a
    // commented-out fourth server, an IPv6 link-local server with its scope.
    const text = [
      '# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).',
      'nameserver 127.0.0.53',
      'options edns0 trust-ad',
      'search home.lex.la',
      'nameserver 192.168.1.1',
      'nameserver fe80::1%eth0',
      '#nameserver 10.0.0.4',
      '; nameserver 10.0.0.5',
    ].join('\n');
    assert.deepEqual(ns(text), [
      ['127.0.0.53', 2],
      ['192.168.1.1', 5],
      ['fe80::1%eth0', 6],
    ]);
    assert.deepEqual(parseResolvConf(text).search, { value: ['home.lex.la'], line: 4 });
  });

  it('takes options timeout/attempts/rotate, the last setting winning', () => {
    const p = parseResolvConf(
      'options timeout:2\nnameserver 10.0.0.1\noptions attempts:3 rotate timeout:1\n',
    );
    assert.deepEqual(p.timeout, { value: 1, line: 3 });
    assert.deepEqual(p.attempts, { value: 3, line: 3 });
    assert.deepEqual(p.rotate, { value: true, line: 3 });
  });

  it('keeps every nameserver: the glibc MAXNS cap is the caller’s (resolved uses them all)', () => {
    assert.equal(
      ns('nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 8.8.8.8\n').length,
      4,
    );
  });

  // Both old copies accepted these; glibc does not (its MATCH macro wants the keyword at column 0,
  // followed by a space or a tab), so the node never asks these servers.
  it('ignores an indented keyword and a keyword glued to its value', () => {
    assert.deepEqual(
      ns('  nameserver 10.0.0.9\n\tnameserver 10.0.0.8\nnameserver\t10.0.0.1\nnameserver10.0.0.7\n'),
      [['10.0.0.1', 3]],
    );
  });

  it('takes the first token of a nameserver line, as glibc (trailing words ignored)', () => {
    assert.deepEqual(ns('nameserver 10.0.0.1 10.0.0.2\r\n'), [['10.0.0.1', 1]]);
  });
});
