// The catalog's public surface: the registry, its patterns for grep, and the classifier.
export { CATALOG, CATALOG_ERE, CATALOG_PATTERNS } from './catalog.ts';
export { type Classification, Classifier } from './classify.ts';
export type { Family, Layer, Signature } from './types.ts';
export { FAMILIES, LAYER_LABELS, LAYERS } from './types.ts';
