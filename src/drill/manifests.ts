/** Placeholder replaced below. */
export function renderManifests(..._a: unknown[]): string {
  return '';
}
