/** Building blocks of the JSON Schemas (2020-12) the reporters publish (timeline, blast). */

/**
 * A closed object: no properties but its own, and every one of them required except those named
 * `optional`. Every object in the reports' schemas is one, so a field added to a report is added here
 * once and is required unless said otherwise.
 */
export function closedObject<P extends Record<string, unknown>>(
  properties: P,
  optional: readonly (keyof P & string)[] = [],
) {
  return {
    type: 'object',
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
    additionalProperties: false,
  } as const;
}
