/** 0 clean, 1 findings at or above the threshold, 2 usage or input error, 70 a bug (sysexits EX_SOFTWARE). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;
