import { rule } from '../../../../src/audit/rules/node/runtime-watchdog-only.ts';
import { ruleTable } from './helpers.ts';

ruleTable(rule, [
  {
    name: 'RuntimeWatchdogSec=30s in system.conf, no watchdog daemon',
    files: { '/etc/systemd/system.conf': '[Manager]\n#LogLevel=info\nRuntimeWatchdogSec=30s\n' },
    expect: [{ file: '/etc/systemd/system.conf', line: 3 }],
  },
  {
    name: 'set in a drop-in',
    files: { '/etc/systemd/system.conf.d/watchdog.conf': '[Manager]\nRuntimeWatchdogSec=1min\n' },
    expect: [{ file: '/etc/systemd/system.conf.d/watchdog.conf', line: 2 }],
  },
  {
    name: 'system.conf shipped in /usr/lib only (image-based distributions: no copy in /etc)',
    files: { '/usr/lib/systemd/system.conf': '[Manager]\nRuntimeWatchdogSec=30s\n' },
    expect: [{ file: '/usr/lib/systemd/system.conf', line: 2 }],
  },
  {
    name: 'the /etc system.conf hides the /usr/lib one (only the first found is read)',
    files: {
      '/etc/systemd/system.conf': '[Manager]\n#RuntimeWatchdogSec=off\n',
      '/usr/lib/systemd/system.conf': '[Manager]\nRuntimeWatchdogSec=30s\n',
    },
    expect: [],
  },
  {
    name: 'set in a /usr/local/lib drop-in (local installs)',
    files: { '/usr/local/lib/systemd/system.conf.d/10-watchdog.conf': '[Manager]\nRuntimeWatchdogSec=20s\n' },
    expect: [{ file: '/usr/local/lib/systemd/system.conf.d/10-watchdog.conf', line: 2 }],
  },
  {
    name: 'drop-in turns it off again',
    files: {
      '/etc/systemd/system.conf': '[Manager]\nRuntimeWatchdogSec=30s\n',
      '/etc/systemd/system.conf.d/off.conf': '[Manager]\nRuntimeWatchdogSec=off\n',
    },
    expect: [],
  },
  {
    name: 'runtime watchdog plus the watchdog daemon',
    files: {
      '/etc/systemd/system.conf': '[Manager]\nRuntimeWatchdogSec=30s\n',
      '/etc/watchdog.conf': 'watchdog-device = /dev/watchdog\n',
    },
    expect: [],
  },
]);
