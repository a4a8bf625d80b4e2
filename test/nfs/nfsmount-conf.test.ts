/**
 * The one nfsmount.conf translator against nfsmount.conf(5) and nfs-utils utils/mount/configfile.c
 * (conf_parse_mntopts / conf_get_mntopts). Rows that settled a disagreement say so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNfsOptions } from '../../src/nfs/mount-options.ts';
import {
  confOptionsFor,
  globalConfOptions,
  parseNfsMountConf,
  translateConfOption,
} from '../../src/nfs/nfsmount-conf.ts';

describe('translateConfOption (configfile.c conf_parse_mntopts)', () => {
  const table: [string, string, string | undefined][] = [
    ['Hard', 'True', 'hard'],
    ['Soft', 'True', 'soft'],
    ['soft', 'TRUE', 'soft'], // value compared case-insensitively (strcasecmp)
    ['Timeo', '600', 'timeo=600'],
    ['RETRANS', '2', 'retrans=2'], // names lower-cased (upper2lower)
    // The disagreement issue 13 found: the audit's node path dropped this, the helper said noac.
    // configfile.c: a False value becomes "no<name>" for every non-alias option.
    ['Ac', 'False', 'noac'],
    ['Lock', 'False', 'nolock'],
    // …including soft: "nosoft" is what mount.nfs passes on, and the kernel has no such option.
    ['Soft', 'False', 'nosoft'],
    ['Background', 'True', 'bg'],
    ['Background', 'False', 'fg'],
    ['Foreground', 'False', 'bg'],
    ['Sloppy', 'False', undefined],
    ['Rsize', '32k', 'rsize=32768'],
    ['Wsize', '1m', 'wsize=1048576'],
    ['Proto', 'tcp', 'proto=tcp'],
    ['Nfsvers', '4.1', 'nfsvers=4.1'],
    ['Defaultvers', '4.2', 'vers=4.2'],
    ['Sec', '"krb5"', 'sec=krb5'],
  ];
  for (const [name, value, want] of table)
    it(`${name}=${value} → ${want ?? '(nothing)'}`, () => {
      assert.equal(translateConfOption(name, value)?.option, want);
    });

  it('marks Defaultvers/Defaultproto as negotiation defaults, not pinned options', () => {
    assert.equal(translateConfOption('Defaultvers', '4.2')?.negotiated, true);
    assert.equal(translateConfOption('Defaultproto', 'udp')?.negotiated, true);
    assert.equal(translateConfOption('Nfsvers', '4.2')?.negotiated, undefined);
  });
});

describe('parseNfsMountConf sections (nfsmount.conf(5))', () => {
  const TEXT = [
    '# lines before any section apply to nothing',
    'Soft=True',
    '[ NFSMount_Global_Options ]',
    'Hard=True   # trailing comment',
    'Timeo=600',
    '[ Server "nas.lan" ]',
    'Timeo=100',
    '[ MountPoint "/mnt/media/" ]',
    'Ac=False',
    '[nfsmount_global_options]',
    'Retrans=3',
    '[ Bogus ]',
    'Soft=True',
    'not-an-option',
    '',
  ].join('\n');
  const conf = parseNfsMountConf(TEXT, '/etc/nfsmount.conf');

  it('keeps each option with its section, line and written form', () => {
    assert.deepEqual(
      conf.options.map((o) => [o.option, o.scope.kind, o.location.line, o.written]),
      [
        ['hard', 'global', 4, 'Hard=True'],
        ['timeo=600', 'global', 5, 'Timeo=600'],
        ['timeo=100', 'server', 7, 'Timeo=100'],
        ['noac', 'mountpoint', 9, 'Ac=False'],
        ['retrans=3', 'global', 11, 'Retrans=3'], // section names are case-insensitive
      ],
    );
  });

  it('reports unknown sections and lines that are not Name=Value', () => {
    assert.deepEqual(
      conf.problems.map((p) => p.location.line),
      [12], // the line under an unknown section belongs to no section; so does "not-an-option"
    );
  });

  it('MountPoint beats Server beats Global; options that do not match are left out', () => {
    const opts = (t: Parameters<typeof confOptionsFor>[1]) =>
      confOptionsFor(conf.options, t).map((o) => o.option);
    assert.deepEqual(opts({ server: 'other', mountPoint: '/mnt/x' }), ['hard', 'timeo=600', 'retrans=3']);
    assert.deepEqual(opts({ server: 'nas.lan', mountPoint: '/mnt/media' }), [
      'hard',
      'timeo=600',
      'retrans=3',
      'timeo=100',
      'noac',
    ]);
    // Parsed left to right (the kernel's order), the server's timeo wins over the global one.
    const eff = parseNfsOptions(opts({ server: 'nas.lan', mountPoint: '/mnt/media' }));
    assert.equal(eff.timeo, 100);
    assert.equal(eff.recovery, 'hard');
    assert.deepEqual(
      globalConfOptions(conf.options).map((o) => o.option),
      ['hard', 'timeo=600', 'retrans=3'],
    );
  });

  it('never throws on hostile text', () => {
    for (const t of ['[', '[ Server ]', '=', '[ MountPoint "" ]\nx=y', '\u0000\n[\u0000]', 'a'.repeat(10000)])
      assert.doesNotThrow(() => parseNfsMountConf(t, 'f'));
  });
});
