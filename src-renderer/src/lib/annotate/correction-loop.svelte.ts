import type { UnetApi } from '../../../../src-shared/contract/index';
import type { AnnotateController } from './annotate-controller.svelte';
import { PredictionLayer } from './prediction-layer.svelte';
import { VersionHistory } from './version-history.svelte';

/** Resolves after the next frame is painted (the canvas draws in an earlier animation-frame callback). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => resolve()) : setTimeout(resolve, 0)));
}

/**
 * Annotating by correcting the model: the prediction layer, accepting a prediction as the annotation,
 * the versions saved, and stepping to the previous, next or next unannotated image of the data set.
 */
export class CorrectionLoop {
  readonly layer: PredictionLayer;
  readonly history: VersionHistory;
  accepting = $state(false);
  stepping = $state(false);

  constructor(
    private readonly controller: AnnotateController,
    api: () => UnetApi,
    /** Opens another image of the data set (the app's open image changes). */
    private readonly openImage: (imageId: number) => void,
  ) {
    this.layer = new PredictionLayer(api);
    this.history = new VersionHistory(api);
  }

  /** Accepts the chosen run's prediction; records how long until it was editable on screen. */
  async accept(): Promise<boolean> {
    const runId = this.layer.runId;
    if (runId === undefined || this.accepting) return false;
    this.accepting = true;
    const started = performance.now();
    try {
      if (!(await this.controller.acceptPrediction(runId))) return false;
      await nextFrame();
      this.layer.acceptMs = performance.now() - started;
      // The annotation is the prediction now: the layer on top would only hide the corrections.
      this.layer.shown = false;
      return true;
    } finally {
      this.accepting = false;
    }
  }

  async step(direction: 'previous' | 'next', unannotated: boolean): Promise<void> {
    if (this.stepping) return;
    this.stepping = true;
    try {
      const id = await this.controller.neighbour(direction, unannotated);
      if (id !== null) this.openImage(id);
      else if (!this.controller.error) {
        this.controller.notice = unannotated ? 'Every other image of this data set is annotated.' : `This is the ${direction === 'next' ? 'last' : 'first'} image of the data set.`;
      }
    } finally {
      this.stepping = false;
    }
  }
}
