import type { BaselineSettings } from '../../src-shared/contract/segmentation';
import { planeSelection, recordedPlane } from '../../src-shared/imaging/image-plane';
import type { LabelArray } from '../../src-shared/imaging/types';
import { evaluateSegmentation } from '../../src-shared/imaging/metrics/evaluate-segmentation';
import { OTSU_SIGMA, otsuSegmentation, otsuSplit, polarityFromAnnotations, type OtsuSegmentation, type Polarity } from '../../src-shared/imaging/otsu';
import type { UNetMetadata } from '../engine/model-files';
import { toFloat32, toGray } from '../io/image-convert';
import type { DecodedImage } from '../io/image-types';
import { readImagePlane } from '../io/read-plane';
import type { Workspace } from '../store/workspace';
import { metricValues, type ReportedMetric } from './segmentation-metrics';

/**
 * The Otsu baseline reported beside every score. Its polarity (is foreground bright or dark?) comes,
 * in this order, from the model (fit to its training annotations after training), from the run's
 * training annotations, or from the minority rule (foreground = the side with fewer pixels, per image).
 */
export interface BaselinePolarity {
  polarity: Polarity | null;
  rule: BaselineSettings['rule'];
}

export type { BaselineSettings };

/** Training images read to decide a polarity when the model does not record one. */
const MAX_POLARITY_IMAGES = 8;

export function baselineSettings(choice: BaselinePolarity): BaselineSettings {
  return { sigma: OTSU_SIGMA, polarity: choice.polarity ?? 'per image', rule: choice.polarity ? choice.rule : 'minority' };
}

/** The polarity recorded with a model, else none (the minority rule then decides per image). */
export function polarityOfModel(metadata: Pick<UNetMetadata, 'baseline'>): BaselinePolarity {
  return metadata.baseline ? { polarity: metadata.baseline.polarity, rule: metadata.baseline.rule } : { polarity: null, rule: 'minority' };
}

/** The polarity for a run's scores: its model's, else fit to (up to 8 of) its training annotations. */
export async function polarityOfRun(ws: Workspace, runId: number, metadata: Pick<UNetMetadata, 'baseline'>): Promise<BaselinePolarity> {
  const recorded = polarityOfModel(metadata);
  if (recorded.polarity) return recorded;
  const run = ws.runs.get(runId);
  const plane = planeSelection(recordedPlane(run.config));
  const members = run.images.filter((m) => m.split === 'train' && m.annotationVersionId !== null).slice(0, MAX_POLARITY_IMAGES);
  const splits = [];
  for (const member of members) {
    const image = ws.images.get(member.imageId);
    const annotation = ws.annotations.byId(member.annotationVersionId as number);
    try {
      const gray = toFloat32(toGray((await readImagePlane(image.path, plane)).image));
      if (gray.length !== annotation.classMap.length) continue;
      splits.push({ above: otsuSplit(gray, image.width, image.height).above, classMap: annotation.classMap });
    } catch {
      // An unreadable training image only removes evidence; the minority rule remains.
    }
  }
  const polarity = polarityFromAnnotations(splits);
  return polarity ? { polarity, rule: 'training annotations' } : { polarity: null, rule: 'minority' };
}

/** The baseline's segmentation of a decoded image (its gray values; intensity scaling does not move Otsu's split). */
export function otsuOfImage(image: DecodedImage, polarity: Polarity | null): OtsuSegmentation {
  return otsuSegmentation(toFloat32(toGray(image)), image.width, image.height, polarity ? { polarity } : {});
}

/** The reported metrics of the baseline against one ground truth. */
export function scoreBaseline(
  image: DecodedImage,
  truth: { classMap: Uint8Array; instances?: LabelArray },
  polarity: Polarity | null,
): { values: Record<ReportedMetric, number | null>; polarity: Polarity; objects: number } {
  const seg = otsuOfImage(image, polarity);
  const evaluation = evaluateSegmentation({ classMap: seg.classMap, instances: seg.instances }, truth, image.width, image.height);
  return { values: metricValues(evaluation), polarity: seg.polarity, objects: seg.count };
}
