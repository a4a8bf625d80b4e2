import { defineFamily } from './types.ts';

export const REBOOT = defineFamily('reboot', [
  {
    id: 'reboot.boot-marker',
    severity: 'high',
    needles: ['-- Boot ', '-- Reboot --'],
    // journalctl prints this between the entries of two boots.
    pattern: /^-- (?:Boot (?<bootId>[0-9a-f]{32}) |Reboot )--$/,
    summary: 'the node booted again (journal boot marker)',
    examples: ['-- Boot 7c2d04b9a1e04f7e9d53b1f3a0c6e812 --', '-- Reboot --'],
    nearMisses: ['-- No entries --', '-- Boot 7c2d04 was slow --'],
  },
  {
    id: 'reboot.kernel-boot',
    severity: 'info',
    needles: ['Linux version '],
    pattern: /^Linux version (?<kernel>\S+) \(/,
    summary: 'kernel {kernel} booting',
    examples: [
      'Linux version 6.8.0-48-generic (buildd@lcy02-amd64-010) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #48-Ubuntu SMP PREEMPT_DYNAMIC Fri Sep 27 14:04:52 UTC 2024 (Ubuntu 6.8.0-48.48-generic 6.8.12)',
    ],
    nearMisses: ['Detected Linux version 6.8 on node'],
  },
  {
    id: 'reboot.kernel-panic',
    severity: 'critical',
    needles: ['Kernel panic'],
    pattern: /Kernel panic - not syncing: (?<reason>.*)/,
    summary: 'kernel panic: {reason}',
    examples: [
      'Kernel panic - not syncing: hung_task: blocked tasks',
      'Kernel panic - not syncing: softlockup: hung tasks',
    ],
    nearMisses: ['panic: runtime error: invalid memory address or nil pointer dereference'],
  },
  {
    id: 'reboot.watchdog',
    severity: 'critical',
    needles: ['watchdog did not stop', 'shutting down the system', 'Initiating system reboot'],
    // The kernel's watchdog core on close without the magic character, the watchdog daemon giving up,
    // softdog firing. A hardware watchdog reset itself leaves no line: the boot marker shows it.
    pattern:
      /watchdog did not stop!|shutting down the system because of error|softdog: Initiating system reboot/,
    summary: 'watchdog is taking the node down',
    examples: [
      'watchdog: watchdog0: watchdog did not stop!',
      "shutting down the system because of error 24 = 'System load too high'",
      'softdog: Initiating system reboot',
    ],
    nearMisses: [
      "Using hardware watchdog 'iTCO_wdt', version 0, device /dev/watchdog0",
      'Watchdog running with a hardware timeout of 2min.',
    ],
  },
  {
    id: 'reboot.kernel-restart',
    severity: 'medium',
    needles: ['reboot: '],
    // kernel/reboot.c, the last line before an orderly restart.
    pattern: /^reboot: (?<action>Restarting system|Power down)/,
    summary: 'kernel: {action}',
    examples: ['reboot: Restarting system', 'reboot: Power down'],
    nearMisses: ['reboot: systemctl reboot requested by user', 'Pending reboot: kernel update'],
  },
  {
    id: 'reboot.systemd-shutdown',
    severity: 'medium',
    needles: ['Syncing filesystems', 'Rebooting', 'Powering off'],
    program: /^systemd-shutdown$/,
    pattern: /^(?<action>Syncing filesystems and block devices|Rebooting|Powering off)\.?$/,
    summary: 'systemd-shutdown: {action}',
    examples: [
      { program: 'systemd-shutdown', message: 'Syncing filesystems and block devices.' },
      { program: 'systemd-shutdown', message: 'Rebooting.' },
    ],
    nearMisses: [
      { program: 'apt', message: 'Rebooting.' },
      { program: 'systemd-shutdown', message: 'Rebooting in 5 s' },
    ],
  },
  {
    id: 'reboot.logind-reboot',
    severity: 'medium',
    needles: ['System is rebooting', 'System is powering down'],
    program: /^systemd-logind$/,
    // logind announcing a reboot or poweroff someone asked for: an orderly restart, not a crash.
    pattern: /^System is (?<action>rebooting|powering down)/,
    summary: 'systemd-logind: system is {action}',
    examples: [
      { program: 'systemd-logind', message: 'System is rebooting.' },
      { program: 'systemd-logind', message: 'System is powering down.' },
    ],
    nearMisses: [{ program: 'sshd', message: 'System is rebooting.' }],
  },
]);
