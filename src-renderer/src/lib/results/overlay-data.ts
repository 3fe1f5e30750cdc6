import type { UnetApi } from '../../../../src-shared/contract/index';
import type { AnnotationData, ClassDef, ImagePixels } from '../../../../src-shared/contract/records';
import type { PredictionView } from '../../../../src-shared/contract/segmentation';

/** Everything the overlay needs for one image: pixels, the run's prediction, the ground truth and the palette. */
export interface OverlayData {
  runId: number;
  imageId: number;
  image: ImagePixels;
  prediction: PredictionView;
  /** Undefined when the image has no annotation (or one of another size). */
  truth: AnnotationData | undefined;
  classes: ClassDef[];
}

export async function loadOverlay(api: UnetApi, runId: number, imageId: number, datasetId: number): Promise<OverlayData> {
  const [image, prediction, annotation, dataset] = await Promise.all([
    api.images.read({ id: imageId }),
    api.segmentation.prediction({ runId, imageId }),
    api.annotations.get({ imageId }),
    api.datasets.get({ id: datasetId }),
  ]);
  const sameSize = annotation.width === image.width && annotation.height === image.height;
  return { runId, imageId, image, prediction, truth: annotation.version > 0 && sameSize ? annotation : undefined, classes: dataset.classes };
}
