import { UnetError } from '../../../src-shared/contract/errors';
import type { NormalizationParams } from '../../../src-shared/imaging/normalization';
import { haloFor, smallestLegalInputSize } from '../../../src-shared/imaging/tile-geometry';

/**
 * The bioimage.io model description version written: the newest 0.5 version the specification's
 * JSON schema names (tools read every 0.5.x; a consumer upgrades older micro versions, not newer).
 */
export const RDF_FORMAT_VERSION = '0.5.7';

export const UNET_CITATION = {
  text: 'Ronneberger, O., Fischer, P., Brox, T. U-Net: Convolutional Networks for Biomedical Image Segmentation. MICCAI 2015, LNCS 9351, 234-241.',
  doi: '10.1007/978-3-319-24574-4_28',
};

/** Top-level fields a model description 0.5 must have. */
export const REQUIRED_MODEL_FIELDS = [
  'format_version',
  'type',
  'name',
  'description',
  'authors',
  'cite',
  'license',
  'documentation',
  'inputs',
  'outputs',
  'weights',
] as const;

export interface RdfFile {
  /** Path inside the package. */
  source: string;
  sha256: string;
}

export interface ModelRdfInput {
  name: string;
  description: string;
  authors: { name: string; affiliation?: string }[];
  license: string;
  tags: string[];
  depth: number;
  inChannels: number;
  numClasses: number;
  classNames: string[];
  /** The fixed training normalisation; null: each image scaled by its own 1st/99.8th percentiles. */
  normalization: NormalizationParams | null;
  /** Input tile the test tensors were made with. */
  testTile: number;
  files: {
    documentation: string;
    covers: string[];
    onnx: RdfFile;
    tensorflowJs: RdfFile;
    testInput: RdfFile;
    testOutput: RdfFile;
  };
  opsetVersion: number;
  tensorflowVersion: string;
  /** Anything U-Net Studio needs to run the model again (architecture, normalisation, classes, run). */
  config: Record<string, unknown>;
  timestamp: string;
}

/**
 * The rdf.yaml content of a U-Net (model spec 0.5). Inputs are (batch, channel, y, x) with sizes
 * min + n * 2^depth; the valid convolutions make the output smaller by twice the halo on each axis,
 * which the spec expresses as a size reference with offset -2 * halo. The model crops that border
 * itself, so the output axes carry no `halo` (the spec allows only a halo of at least 1 or none).
 * Preprocessing is the training set's fixed percentile normalisation as a linear scaling.
 */
export function buildModelRdf(input: ModelRdfInput): Record<string, unknown> {
  const { normalization: n } = input;
  const scaling = n
    ? { id: 'scale_linear', kwargs: { gain: 1 / (n.high > n.low ? n.high - n.low : 1), offset: -n.low / (n.high > n.low ? n.high - n.low : 1) } }
    : { id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: 1, max_percentile: 99.8 } };
  const halo = haloFor(input.depth);
  const spaceIn = (id: 'y' | 'x') => ({ type: 'space', id, size: { min: smallestLegalInputSize(input.depth), step: 2 ** input.depth } });
  const spaceOut = (id: 'y' | 'x') => ({
    type: 'space',
    id,
    size: { tensor_id: 'raw', axis_id: id, offset: -2 * halo },
  });
  return {
    format_version: RDF_FORMAT_VERSION,
    type: 'model',
    name: input.name,
    description: input.description,
    authors: input.authors,
    cite: [UNET_CITATION],
    license: input.license,
    tags: input.tags,
    documentation: input.files.documentation,
    covers: input.files.covers,
    timestamp: input.timestamp,
    inputs: [
      {
        id: 'raw',
        description: n ? `image, normalised with the training set's ${n.lowPct}/${n.highPct} percentiles` : 'image, normalised with its own 1/99.8 percentiles',
        axes: [{ type: 'batch' }, { type: 'channel', channel_names: input.inChannels === 1 ? ['raw'] : Array.from({ length: input.inChannels }, (_, i) => `c${i}`) }, spaceIn('y'), spaceIn('x')],
        test_tensor: input.files.testInput,
        data: { type: 'float32' },
        preprocessing: [{ id: 'ensure_dtype', kwargs: { dtype: 'float32' } }, scaling],
      },
    ],
    outputs: [
      {
        id: 'probabilities',
        description: `softmax over ${input.numClasses} classes (${input.classNames.join(', ')}); ${halo} px smaller than the input on each side`,
        axes: [{ type: 'batch' }, { type: 'channel', channel_names: input.classNames }, spaceOut('y'), spaceOut('x')],
        test_tensor: input.files.testOutput,
        data: { type: 'float32', range: [0, 1] },
        postprocessing: [{ id: 'ensure_dtype', kwargs: { dtype: 'float32' } }],
      },
    ],
    weights: {
      onnx: { source: input.files.onnx.source, sha256: input.files.onnx.sha256, opset_version: input.opsetVersion, parent: 'tensorflow_js' },
      tensorflow_js: { source: input.files.tensorflowJs.source, sha256: input.files.tensorflowJs.sha256, tensorflow_version: input.tensorflowVersion },
    },
    config: { 'unet-studio': input.config },
  };
}

/** Problems with a model description against the spec's required structure; empty when it is fine. */
export function checkModelRdf(rdf: unknown): string[] {
  const problems: string[] = [];
  if (!rdf || typeof rdf !== 'object') return ['the description is not a mapping'];
  const r = rdf as Record<string, unknown>;
  for (const field of REQUIRED_MODEL_FIELDS) if (r[field] === undefined || r[field] === null || r[field] === '') problems.push(`missing ${field}`);
  if (typeof r.format_version === 'string' && !/^0\.5\.\d+$/.test(r.format_version)) problems.push(`format_version ${r.format_version} is not 0.5.x`);
  if (r.type !== undefined && r.type !== 'model') problems.push(`type must be "model", got ${String(r.type)}`);
  if (r.authors !== undefined && (!Array.isArray(r.authors) || r.authors.length === 0 || !r.authors.every((a) => typeof a?.name === 'string'))) {
    problems.push('authors must be a non-empty list of {name}');
  }
  if (r.cite !== undefined && (!Array.isArray(r.cite) || r.cite.length === 0 || !r.cite.every((c) => typeof c?.text === 'string' && (c.doi || c.url)))) {
    problems.push('cite must be a non-empty list of {text, doi or url}');
  }
  if (typeof r.documentation === 'string' && !r.documentation.endsWith('.md')) problems.push('documentation must be a .md file');
  for (const kind of ['inputs', 'outputs'] as const) {
    const list = r[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${kind} must be a non-empty list`);
      continue;
    }
    list.forEach((t: Record<string, unknown>, i) => {
      const where = `${kind}[${i}]`;
      if (typeof t?.id !== 'string') problems.push(`${where}.id missing`);
      if (!Array.isArray(t?.axes) || t.axes.length === 0) problems.push(`${where}.axes missing`);
      else if (!t.axes.every((a: Record<string, unknown>) => ['batch', 'channel', 'index', 'time', 'space'].includes(String(a?.type)))) problems.push(`${where}.axes has an unknown axis type`);
      if (Array.isArray(t?.axes)) {
        t.axes.forEach((a: Record<string, unknown>, j: number) => {
          if (a?.halo !== undefined && !(Number.isInteger(a.halo) && (a.halo as number) >= 1)) problems.push(`${where}.axes[${j}].halo must be omitted or an integer >= 1`);
        });
      }
      const test = t?.test_tensor as Record<string, unknown> | undefined;
      if (typeof test?.source !== 'string' || !test.source.endsWith('.npy')) problems.push(`${where}.test_tensor must name a .npy file`);
    });
  }
  const weights = r.weights as Record<string, Record<string, unknown>> | undefined;
  if (weights !== undefined) {
    const entries = weights && typeof weights === 'object' ? Object.entries(weights) : [];
    if (entries.length === 0) problems.push('weights must have at least one entry');
    for (const [format, entry] of entries) {
      if (typeof entry?.source !== 'string') problems.push(`weights.${format}.source missing`);
      if (format === 'onnx' && !(Number.isInteger(entry?.opset_version) && (entry.opset_version as number) >= 7)) problems.push('weights.onnx.opset_version must be >= 7');
      if (format === 'tensorflow_js' && typeof entry?.tensorflow_version !== 'string') problems.push('weights.tensorflow_js.tensorflow_version missing');
    }
  }
  return problems;
}

export function assertModelRdf(rdf: unknown, where: string): asserts rdf is Record<string, unknown> {
  const problems = checkModelRdf(rdf);
  if (problems.length > 0) throw new UnetError('CORRUPT', `${where} is not a valid bioimage.io model description: ${problems.join('; ')}`, { problems });
}
